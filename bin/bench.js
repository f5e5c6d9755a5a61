#!/usr/bin/env node
// Thin launcher for `npm run bench`: registers the TypeScript loader, then hands over to
// bench/main.ts. Run with --expose-gc (package.json does) so the benchmark can collect
// garbage between measurements.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
process.exitCode = await main(process.argv.slice(2));
