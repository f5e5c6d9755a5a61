/**
 * The layer guard (issue 13): every import in src/**\/*.ts goes to a layer its own layer may
 * import, per LAYERS below (the README's "Layers and what each may import" says the same).
 * Type-only imports (`import type`), re-exports and dynamic `import()` count like any other.
 *
 * A file's layer is its folder under src/, except the two files that already play a layer
 * of their own (FILE_LAYER): the data loader compute/catalog.ts is `data`, scenario/units.ts
 * is `units`. Imports inside one layer are free.
 *
 * Today's exceptions are listed in ALLOWLIST, one file → module pair each, with its reason.
 * The list can only shrink: a new upward import fails here, and so does an entry whose import
 * is gone (delete the entry when you fix one).
 */
import { describe, it, expect } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

const SRC = resolve('src'); // tests run from the repository root

/** Files that are a layer of their own although they sit in another layer's folder. */
const FILE_LAYER: Record<string, string> = {
  'compute/catalog': 'data',
  'scenario/units': 'units',
};

/**
 * What each layer may import (besides itself), bottom to top. `*`: anything (the public API).
 * Mirrors the README; the target of docs/architecture-review §2 where its folders exist.
 */
const LAYERS: Record<string, readonly string[] | '*'> = {
  // Leaves.
  engine: [],
  units: [],
  trace: [],
  workload: [],
  // Data: catalog files → typed tables.
  data: ['units'],
  // Models.
  compute: ['workload'],
  platform: ['compute'],
  network: ['engine'],
  metrics: ['platform'],
  collective: ['engine', 'network', 'platform', 'trace'],
  fleet: ['engine', 'platform'],
  faults: ['engine', 'platform', 'fleet'],
  timeline: ['engine', 'platform', 'fleet'],
  strategy: ['engine', 'workload', 'compute', 'platform', 'collective', 'fleet', 'metrics', 'trace'],
  economy: ['engine', 'fleet', 'data'],
  result: ['platform', 'fleet', 'workload'],
  // Input: schema, load, resolve; composes the layers' specs, reads their defaults.
  scenario: ['units', 'data', 'workload', 'compute', 'platform', 'strategy', 'fleet', 'faults', 'timeline', 'economy'],
  // The trainer and simulate(): wires everything below.
  sim: ['engine', 'units', 'data', 'workload', 'compute', 'platform', 'network', 'metrics', 'collective', 'fleet', 'faults',
    'timeline', 'strategy', 'economy', 'result', 'scenario', 'trace'],
  // Outputs.
  report: ['result', 'data', 'units', 'trace'],
  // Applications on top.
  validate: ['sim', 'scenario', 'result', 'workload'],
  calibrate: ['units', 'data', 'compute', 'workload'],
  sweep: ['sim', 'scenario', 'result', 'report', 'units'],
  check: ['sweep', 'result'],
  cli: ['sim', 'scenario', 'report', 'validate', 'data', 'units', 'calibrate', 'sweep', 'check'],
  '(root)': '*',
};

/** Today's exceptions: [file under src/, imported module under src/ without extension, reason]. */
const ALLOWLIST: readonly (readonly [string, string, string])[] = [
  // SiteKind has one source, the data layer's site-kind table (SITE_KINDS), which data, platform and economy all need;
  // no layer is below all three (platform may import compute only, economy engine, fleet and data).
  ['platform/spec.ts', 'compute/catalog', 'SiteKind: its one source is the data layer (issue 13); goes when platform may read data types'],
  // Data loading still mixed with models (step 2).
  ['compute/catalog.ts', 'compute/gpu', 'the catalog builds GpuSpec (step 2: buildGpu takes the defaults)'],
  ['compute/catalog.ts', 'compute/efficiency', 'the catalog builds efficiency curves (step 2)'],
  ['platform/platform.ts', 'compute/catalog', 'RegionMatrix reaches the platform by a side channel (step 3: region pairs in PlatformSpec)'],
  // Accounting inside the collectives (step 10: Comm reports bytes to a callback of its caller).
  ['collective/comm.ts', 'metrics/acc', 'Comm counts delivered bytes into an Acc (step 10)'],
  // Results that still know the live run or the economy.
  ['result/result.ts', 'economy/run', 'RunResult embeds the economy result type; nothing below sim/ should import economy'],
  ['report/text.ts', 'sim/simulate', 'SimulationResult type lives in sim/ (target: result/)'],
  ['report/write.ts', 'sim/simulate', 'SimulationResult type lives in sim/ (target: result/)'],
  ['report/write.ts', 'sim/run', 'TimeseriesRow type lives in sim/run.ts (target: result/)'],
  ['report/html/assumptions.ts', 'scenario/types', 'the HTML report reads the resolved Scenario (target: echoed in RunResult)'],
  ['report/html/write.ts', 'scenario/types', 'the HTML report reads the resolved Scenario (target: echoed in RunResult)'],
  // The input layer reaching up.
  ['scenario/resolve.ts', 'calibrate/apply', 'calibration profiles are applied at resolve time (target: profiles are data/)'],
  // Applications reaching into models for error classes and presets.
  ['cli/main.ts', 'strategy/layout', 'InfeasibleLayout error class for exit code 2 (review §4.6: errors as data)'],
  ['cli/main.ts', 'workload/presets', 'dtsim catalog --models lists presets (target: report/ formats the catalog)'],
  ['cli/main.ts', 'workload/model', 'dtsim catalog --models counts parameters (target: report/ formats the catalog)'],
  ['cli/main.ts', 'economy/day', 'economy.csv columns come from the economy (target: report/ writes it from the result)'],
  ['sweep/worker.ts', 'strategy/layout', 'InfeasibleLayout error class (review §4.6: errors as data)'],
  ['sweep/plan.ts', 'engine/rng', 'seeded random sampling of sweep points reuses the engine streams'],
  ['validate/validate.ts', 'check/junit', 'the JUnit XML writer lives in check/ (target: report/)'],
];

const files: string[] = [];
(function walk(d: string) {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
})(SRC);

/** 'compute/catalog.ts' → 'compute/catalog' (posix, relative to src/). */
const moduleOf = (abs: string) => relative(SRC, abs).split(sep).join(posix.sep).replace(/\.ts$/, '').replace(/\/index$/, '');

function layerOf(mod: string): string {
  if (FILE_LAYER[mod]) return FILE_LAYER[mod];
  const parts = mod.split('/');
  return parts.length === 1 ? '(root)' : parts[0];
}

/** A module specifier resolved to a module under src/ (null for packages and node: built-ins). */
function resolveImport(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const abs = resolve(dirname(fromFile), spec.replace(/\.(ts|js)$/, ''));
  const asFile = `${abs}.ts`;
  if (!existsSync(asFile) && existsSync(join(abs, 'index.ts'))) return moduleOf(join(abs, 'index.ts'));
  return moduleOf(asFile);
}

interface Edge { file: string; module: string; from: string; to: string }

/** The module specifiers a source imports: static, type-only, re-exported, side-effect or dynamic (TypeScript's own scanner). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
}

/** Every import of every file under src/. */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const f of files) {
    for (const spec of importsOf(readFileSync(f, 'utf8'))) {
      const module = resolveImport(f, spec);
      if (module === null) continue;
      const file = relative(SRC, f).split(sep).join(posix.sep);
      out.push({ file, module, from: layerOf(moduleOf(f)), to: layerOf(module) });
    }
  }
  return out;
}

const allowed = (e: Edge) => {
  if (e.module.startsWith('..')) return false; // outside src/
  if (e.from === e.to) return true;
  const rule = LAYERS[e.from];
  return rule === '*' || (rule !== undefined && rule.includes(e.to));
};

describe('layers', () => {
  const all = edges();

  it('reads imports of every kind', () => {
    const text = [
      "import { a,", "  b,", "} from '../x/multi';", "import type { T } from '../x/types';", "export * from '../x/again';",
      "export { c } from '../x/named';", "import '../x/effect';", "const m = await import('../x/dynamic');",
      "// import { z } from '../x/commented';", "const s = \"import { q } from '../x/string'\";",
    ].join('\n');
    expect(importsOf(text)).toEqual(['../x/multi', '../x/types', '../x/again', '../x/named', '../x/effect', '../x/dynamic']);
    expect(files.length).toBeGreaterThan(50);
    // A type-only import, a dynamic import() and a multi-line import are all seen.
    expect(all.some((e) => e.file === 'strategy/step.ts' && e.module === 'strategy/spec')).toBe(true);
    expect(all.some((e) => e.file === 'cli/main.ts' && e.module === 'validate/validate')).toBe(true);
  });

  it('every folder of src/ is a layer with a rule', () => {
    const layers = new Set(files.map((f) => layerOf(moduleOf(f))));
    const missing = [...layers].filter((l) => LAYERS[l] === undefined);
    expect(missing, `add these folders to LAYERS in test/layers.test.ts and to the README's layer list`).toEqual([]);
  });

  it('no import outside the table and the allowlist', () => {
    const listed = new Set(ALLOWLIST.map(([f, m]) => `${f} → ${m}`));
    const bad = all.filter((e) => !allowed(e) && !listed.has(`${e.file} → ${e.module}`))
      .map((e) => `${e.file} → ${e.module} (${e.from} may not import ${e.to})`);
    expect([...new Set(bad)], 'an import against the layer table (README, How the simulation works): move the code or the type down, or ' +
      'add an ALLOWLIST entry with its reason in test/layers.test.ts').toEqual([]);
  });

  it('no stale allowlist entry', () => {
    const present = new Set(all.filter((e) => !allowed(e)).map((e) => `${e.file} → ${e.module}`));
    const stale = ALLOWLIST.map(([f, m]) => `${f} → ${m}`).filter((k) => !present.has(k));
    expect(stale, 'these exceptions are gone or now allowed: delete them from ALLOWLIST in test/layers.test.ts').toEqual([]);
    expect(new Set(ALLOWLIST.map(([f, m]) => `${f} → ${m}`)).size).toBe(ALLOWLIST.length);
  });
});
