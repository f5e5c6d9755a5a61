/**
 * Sources a reader can follow: the repository cites papers, datasheets, repository files and
 * measurement pages, never notes that live outside it (the project's ../shared/ research notes
 * are not part of a clone). Every key a data file cites resolves in src/data/sources.md.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ts|js|ya?ml|md|json)$/.test(name)) out.push(path);
  }
  return out;
}

/** Citations of documents outside the repository: the shared notes, by path or by file name. */
const OUTSIDE = [
  /\.\.\/shared/,
  /shared\/(research|validation|design)/,
  /\b(gpu-catalog|published-runs|anchors|economics|workload-model)\.md\b/,
  /\bgpu-catalog §/,
];

describe('sources', () => {
  it('cites nothing outside the repository (src/, scenarios/, bench/, README.md)', () => {
    const files = [...['src', 'scenarios', 'bench'].flatMap((d) => filesUnder(join(ROOT, d))), join(ROOT, 'README.md')];
    expect(files.length).toBeGreaterThan(20);
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (OUTSIDE.some((re) => re.test(line))) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('resolves every source key of the data files in src/data/sources.md', () => {
    const legend = readFileSync(join(ROOT, 'src/data/sources.md'), 'utf8');
    const keys = new Set([...legend.matchAll(/\*\*([A-Z][A-Z0-9]*(?:-[A-Z0-9\\*]+)*)\*\*/g)].map((m) => m[1].replace(/\\/g, '')));
    expect(keys.size).toBeGreaterThan(50);

    // Source strings: the values of every `sources:` map and every `source:` field.
    const strings: string[] = [];
    const walk = (o: unknown): void => {
      if (Array.isArray(o)) o.forEach(walk);
      else if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) {
          if (k === 'sources' && v && typeof v === 'object') strings.push(...Object.values(v).map(String));
          else if (k === 'source' && typeof v === 'string') strings.push(v);
          else walk(v);
        }
      }
    };
    for (const f of ['gpus.yaml', 'defaults.yaml', 'wan-regions.yaml']) {
      walk(parseYaml(readFileSync(join(ROOT, 'src/data', f), 'utf8')));
    }
    expect(strings.length).toBeGreaterThan(300);

    // A key is the list a source string starts with ("LLAMA3 via LOCK-REL, DCD-LLAMA [S]: ...")
    // or any hyphenated upper-case token ("CALC-A100", "OOKLA-NEOWIN").
    const KEY = '[A-Z][A-Z0-9]*(?:-[A-Z0-9*]+)*';
    const lead = new RegExp(`^(${KEY}(?:(?:,\\s*|\\s+via\\s+)${KEY})*)(?![\\w-])`);
    const unresolved = new Set<string>();
    for (const s of strings) {
      const cited = [...(lead.exec(s)?.[1].split(/,\s*|\s+via\s+/) ?? []), ...(s.match(/(?<![\w-])[A-Z][A-Z0-9]*-[A-Z0-9*]+(?![\w-])/g) ?? [])];
      for (const k of cited) if (!keys.has(k)) unresolved.add(`${k} (in "${s}")`);
    }
    expect([...unresolved]).toEqual([]);
  });
});
