// Worker-thread entry for sweeps (piscina). Worker threads do not inherit the main thread's
// TypeScript loader, so register tsx here (as bin/dtsim.js does) before loading worker.ts.
// mathjs (hundreds of ES modules) is imported first, by Node's own loader: through the tsx
// hooks it takes about twice as long, and every worker pays it at start.
import 'mathjs';
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.runTask;
