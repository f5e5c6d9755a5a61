/**
 * Every figure of src/data/economy.yaml has a source, and every source key resolves in
 * src/data/sources.md (as test/data/sources.test.ts checks for the other data files).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const data = parseYaml(readFileSync(join(ROOT, 'src/data/economy.yaml'), 'utf8')) as {
  defaults: Record<string, unknown>; presets: Record<string, unknown>; sources: Record<string, string>;
};

/** Paths of the leaves (lists count as one leaf) under `o`. */
function leaves(o: unknown, prefix: string): string[] {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    const out = Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    return out.length > 0 ? out : [prefix];
  }
  return [prefix];
}

describe('economy.yaml sources', () => {
  it('cites a source for every default and every preset', () => {
    const keys = Object.keys(data.sources);
    const covered = (path: string) => keys.some((k) => path === k || path.startsWith(`${k}.`));
    const paths = [...leaves(data.defaults, 'defaults'), ...Object.keys(data.presets).map((p) => `presets.${p}`)];
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter((p) => !covered(p))).toEqual([]);
    // And no source for a figure that does not exist.
    const all = new Set([...leaves(data.defaults, 'defaults'), ...Object.keys(data.presets).map((p) => `presets.${p}`)]);
    expect(keys.filter((k) => ![...all].some((p) => p === k || p.startsWith(`${k}.`)))).toEqual([]);
  });

  it('resolves every source key in src/data/sources.md', () => {
    const legend = readFileSync(join(ROOT, 'src/data/sources.md'), 'utf8');
    const known = new Set([...legend.matchAll(/\*\*([A-Z][A-Z0-9]*(?:-[A-Z0-9\\*]+)*)\*\*/g)].map((m) => m[1].replace(/\\/g, '')));
    const KEY = '[A-Z][A-Z0-9]*(?:-[A-Z0-9*]+)*';
    const lead = new RegExp(`^(${KEY}(?:(?:,\\s*|\\s+via\\s+)${KEY})*)(?![\\w-])`);
    const unresolved: string[] = [];
    for (const s of Object.values(data.sources)) {
      expect(s).toMatch(/\[(V|V\*|S|M|D)\]/);
      const cited = [...(lead.exec(s)?.[1].split(/,\s*|\s+via\s+/) ?? []), ...(s.match(/(?<![\w-])[A-Z][A-Z0-9]*-[A-Z0-9*]+(?![\w-])/g) ?? [])];
      for (const k of cited) if (!known.has(k)) unresolved.push(`${k} (in "${s}")`);
    }
    expect(unresolved).toEqual([]);
  });
});
