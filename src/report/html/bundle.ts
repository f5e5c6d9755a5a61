/**
 * The browser code of the report, bundled on demand with esbuild's JS API (esbuild comes with
 * tsx, so a clean install needs no build step): browser/main.ts and only the d3 modules it
 * imports, minified into one IIFE, built once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./browser/main.ts', import.meta.url));
/** The d3 modules the bundle may contain, named in its licence banner. */
export const D3_MODULES = ['d3-array', 'd3-axis', 'd3-format', 'd3-scale', 'd3-selection', 'd3-shape'] as const;

let cached: Promise<string> | null = null;

function banner(): string {
  const require = createRequire(import.meta.url);
  const versions = D3_MODULES.map((m) => {
    try {
      const pkg = JSON.parse(readFileSync(require.resolve(`${m}/package.json`), 'utf8')) as { version: string };
      return `${m}@${pkg.version}`;
    } catch {
      return m;
    }
  });
  return `/* dtsim report. Includes ${versions.join(', ')} (and their d3 dependencies), Copyright Mike Bostock, ISC License: https://github.com/d3/d3/blob/main/LICENSE */`;
}

/** The minified browser bundle (cached for the life of the process). */
export function reportBundle(): Promise<string> {
  // esbuild is loaded only when a report is written, not with every command.
  cached ??= import('esbuild').then(({ build }) => build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    banner: { js: banner() },
    logLevel: 'silent',
  })).then((r) => r.outputFiles[0].text).catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}
