/**
 * A sweep's output folder. The per-point files are the source of truth; results.csv and the
 * rest are views regenerated from them, so a kill at any moment loses at most the points in
 * flight and never leaves a half-written file behind:
 *
 *   sweep.json                     the plan (points, target, metrics): what merge and check read
 *   points/000042/summary.json     a finished point: exactly what `dtsim run` writes for it
 *   points/000042/error.json       a point that cannot run ({status, message}), e.g. infeasible
 *   baselines/<sha256>.json        a baseline simulated once and shared by the points that have it
 *   results.csv                    one row per point, in point order (appended live while running)
 *   results.shard-<i>-of-<n>.csv   the same for one shard's points
 *   targets.csv, report.html       target-search answers; plots and heatmaps
 *
 * Every file is written to a temporary name and renamed into place (atomic on POSIX).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { pointCount, type Plan } from './plan';

let tmpCounter = 0;
/** Host names go into temporary file names, so shards sharing a folder know whose files they are. */
const HOST = hostname().replace(/[^\w.-]/g, '_') || 'host';

/** Writes `data` to `file` via a temporary file and a rename: readers see the old or the new file, never a part. */
export function writeAtomic(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${HOST}-${process.pid}-${threadId}-${tmpCounter++}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export function planJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Zero-padded point folder name (at least 6 digits, so `ls` lists points in order). */
export function pointName(plan: Plan, index: number): string {
  return String(index).padStart(Math.max(6, String(pointCount(plan) - 1).length), '0');
}

export const pointDir = (dir: string, plan: Plan, index: number) => join(dir, 'points', pointName(plan, index));

export interface PointError {
  readonly status: 'infeasible' | 'error';
  readonly message: string;
}

export type PointRecord =
  | { readonly index: number; readonly status: 'ok'; readonly summary: unknown; readonly json: string }
  | { readonly index: number; readonly status: 'infeasible' | 'error'; readonly message: string; readonly json: string };

export function writePointSummary(dir: string, plan: Plan, index: number, json: string): void {
  writeAtomic(join(pointDir(dir, plan, index), 'summary.json'), json);
}

export function writePointError(dir: string, plan: Plan, index: number, e: PointError): void {
  writeAtomic(join(pointDir(dir, plan, index), 'error.json'), `${JSON.stringify(e, null, 2)}\n`);
}

/** The finished points in a folder (leftover temporary files ignored). */
export function readPoints(dir: string, plan: Plan): Map<number, PointRecord> {
  const out = new Map<number, PointRecord>();
  const root = join(dir, 'points');
  if (!existsSync(root)) return out;
  const total = pointCount(plan);
  for (const name of readdirSync(root)) {
    if (!/^\d+$/.test(name)) continue;
    const index = Number(name);
    if (index >= total || pointName(plan, index) !== name) continue;
    const rec = readPoint(join(root, name), index);
    if (rec) out.set(index, rec);
  }
  return out;
}

function readPoint(d: string, index: number): PointRecord | null {
  const s = join(d, 'summary.json');
  if (existsSync(s)) {
    const json = readFileSync(s, 'utf8');
    try {
      return { index, status: 'ok', summary: JSON.parse(json), json };
    } catch {
      return null; // not ours or damaged by hand: simulate it again
    }
  }
  const e = join(d, 'error.json');
  if (existsSync(e)) {
    const json = readFileSync(e, 'utf8');
    try {
      const v = JSON.parse(json) as PointError;
      return { index, status: v.status === 'infeasible' ? 'infeasible' : 'error', message: String(v.message), json };
    } catch {
      return null;
    }
  }
  return null;
}

/** Removes temporary files a killed run left (names ending in .tmp-<pid>-<thread>-<n>). */
export function removeTempFiles(dir: string): void {
  const walk = (d: string, depth: number) => {
    if (!existsSync(d) || depth > 3) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (/\.tmp-\d+-\d+-\d+$/.test(e.name)) rmSync(p, { force: true });
    }
  };
  walk(dir, 0);
}

export function readPlanFile(dir: string): Plan | null {
  const f = join(dir, 'sweep.json');
  if (!existsSync(f)) return null;
  return JSON.parse(readFileSync(f, 'utf8')) as Plan;
}

export const baselineFile = (dir: string, key: string) => join(dir, 'baselines', `${key}.json`);
