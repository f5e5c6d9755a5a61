/**
 * Reading scenario files: YAML or JSON, `extends` chains, schema validation and resolution.
 * Every problem becomes one line "file: field.path: what was expected, what was found";
 * nothing here prints or exits (the CLI does).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema } from './schema';
import { resolveScenario, type Issue } from './resolve';
import { loadCatalog } from '../compute/catalog';
import type { Scenario } from './types';

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly issues: readonly Issue[]) {
    super(issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}

/** A YAML or JSON file's contents; unreadable or malformed files are a ScenarioError naming the file. */
export function readRaw(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, [{ path: '', message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]);
  }
  try {
    return file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split('\n')[0] : (e as Error).message;
    throw new ScenarioError(file, [{ path: '', message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${msg}` }]);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, anything else (arrays included) is replaced by the override. */
export function mergeScenario(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeScenario(base[k], v) : v;
  return out;
}

/** The raw tree of a file with its `extends` chain applied (cycles are errors). */
export function readScenarioTree(file: string, seen: readonly string[] = []): unknown {
  const abs = resolvePath(file);
  if (seen.includes(abs)) throw new ScenarioError(file, [{ path: 'extends', message: `extends cycle: ${[...seen, abs].join(' -> ')}` }]);
  const raw = readRaw(file);
  if (!isObject(raw)) throw new ScenarioError(file, [{ path: '', message: `expected a mapping at the top level, got ${Array.isArray(raw) ? 'a list' : typeof raw}` }]);
  if (typeof raw.extends !== 'string') return raw;
  const basePath = resolvePath(dirname(abs), raw.extends);
  const base = readScenarioTree(basePath, [...seen, abs]);
  const { extends: _drop, ...rest } = raw;
  return mergeScenario(base, rest);
}

type ZIssue = z.core.$ZodIssue;

/** Flattens zod issues; for a union, reports the branch that got furthest instead of "Invalid input". */
function flatten(issues: readonly ZIssue[], prefix: PropertyKey[]): { path: PropertyKey[]; issue: ZIssue }[] {
  return issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if (i.code !== 'invalid_union' || i.errors.length === 0) return [{ path, issue: i }];
    const rootMismatch = (b: readonly ZIssue[]) => b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0;
    const deeper = i.errors.filter((b) => !rootMismatch(b));
    if (deeper.length === 1) return flatten(deeper[0], path);
    const kinds = i.errors.filter(rootMismatch).map((b) => (b[0] as { expected?: string }).expected).filter(Boolean);
    const input = (i as { input?: unknown }).input;
    return [{ path, issue: { ...i, message: `expected ${kinds.length ? kinds.join(' or ') : 'another value'}, got ${describe(input)}` } }];
  });
}

function zodIssues(error: z.ZodError): Issue[] {
  return flatten(error.issues, []).map(({ path: p, issue: i }) => {
    const path = p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
    let message = i.message;
    if (i.code === 'invalid_type') message = `expected ${i.expected}, got ${describe(i.input)}`;
    if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    if (i.code === 'invalid_value') message = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(i.input)}`;
    return { path, message };
  });
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Validates and resolves a raw scenario tree (after `extends` and `--set` overrides). */
export function scenarioFromTree(tree: unknown, file: string): Scenario {
  const parsed = scenarioSchema.safeParse(tree, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(file, zodIssues(parsed.error));
  const { scenario, issues } = resolveScenario(parsed.data, file, loadCatalog());
  if (!scenario) throw new ScenarioError(file, issues);
  return scenario;
}

export function loadScenario(file: string): Scenario {
  return scenarioFromTree(readScenarioTree(file), file);
}

/** Applies `path=value` overrides (dots and [i] in the path; value parsed as YAML) to a raw tree. */
export function applyOverrides(tree: unknown, sets: readonly string[], file: string): unknown {
  let out = structuredClone(tree) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ScenarioError(file, [{ path: '', message: `--set expects path=value, got '${s}'` }]);
    const keys = s.slice(0, eq).split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    const value = parseYaml(s.slice(eq + 1));
    out = setPath(out, keys, value) as Record<string, unknown>;
  }
  return out;
}

function setPath(obj: unknown, keys: string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys;
  if (Array.isArray(obj) && /^\d+$/.test(k)) {
    const copy = obj.slice();
    copy[Number(k)] = setPath(copy[Number(k)], rest, value);
    return copy;
  }
  const o = isObject(obj) ? obj : {};
  return { ...o, [k]: setPath(o[k], rest, value) };
}
