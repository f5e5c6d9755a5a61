/**
 * `dtsim merge DIR... --out OUT`: gathers the points of shard folders (or several partial runs
 * of one sweep) into one folder and writes its results.csv, targets.csv and report.html, the
 * same bytes a single process writes. With one folder and no --out, finishes that folder in
 * place (shards that shared a folder).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from './plan';
import { writeViews } from './results';
import { baselineFile, planJson, pointDir, readPlanFile, readPoints, writeAtomic, type PointRecord } from './store';

export class MergeError extends Error {}

export interface MergeOutcome {
  readonly plan: Plan;
  readonly points: number;
  /** Points the sweep still needs (unfinished shards). */
  readonly missing: readonly number[];
  readonly out: string;
}

export async function mergeSweeps(dirs: readonly string[], out: string): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new MergeError('give at least one sweep output folder');
  let plan: Plan | null = null;
  let planText = '';
  for (const d of dirs) {
    const f = join(d, 'sweep.json');
    if (!existsSync(f)) throw new MergeError(`${d}: no sweep.json (not a dtsim sweep output folder)`);
    const text = readFileSync(f, 'utf8');
    if (plan === null) {
      plan = readPlanFile(d)!;
      planText = text;
    } else if (text !== planText) {
      throw new MergeError(`${d}: sweep.json differs from ${dirs[0]}'s: these folders hold different sweeps`);
    }
  }
  const p = plan!;
  const outPlan = join(out, 'sweep.json');
  if (existsSync(outPlan) && readFileSync(outPlan, 'utf8') !== planText) throw new MergeError(`${out}: holds a different sweep; choose another --out`);
  if (planJson(p) !== planText) throw new MergeError(`${dirs[0]}: sweep.json was written by another version of dtsim`);
  mkdirSync(out, { recursive: true });
  if (!existsSync(outPlan)) writeAtomic(outPlan, planText);

  const all = new Map<number, PointRecord>(readPoints(out, p));
  const same = (a: string, b: string) => resolve(a) === resolve(b);
  for (const d of dirs) {
    if (same(d, out)) continue;
    for (const [i, rec] of readPoints(d, p)) {
      const have = all.get(i);
      if (have) {
        if (have.json !== rec.json) throw new MergeError(`point ${i} differs between ${d} and another folder: were they run by different versions of dtsim?`);
        continue;
      }
      writeAtomic(join(pointDir(out, p, i), rec.status === 'ok' ? 'summary.json' : 'error.json'), rec.json);
      all.set(i, rec);
    }
    // Shared baselines too, so `dtsim sweep --out OUT` can resume or extend from the merged folder.
    const bdir = join(d, 'baselines');
    if (existsSync(bdir)) {
      for (const name of readdirSync(bdir)) {
        if (!/^[0-9a-f]{64}\.json$/.test(name)) continue;
        const target = baselineFile(out, name.slice(0, -5));
        if (!existsSync(target)) writeAtomic(target, readFileSync(join(bdir, name)));
      }
    }
  }
  const c = await writeViews(out, p, all);
  return { plan: p, points: c.rows.length, missing: c.missing, out };
}
