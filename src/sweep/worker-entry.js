// Worker-thread entry for sweeps (piscina). Worker threads do not inherit the main thread's
// TypeScript loader, so register tsx here (as bin/dtsim.js does) before loading worker.ts.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.runTask;
