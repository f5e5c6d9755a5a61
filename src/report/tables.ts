/**
 * nodes.csv and links.csv: one row per node and per link of each run, described once as
 * (column, accessor) rows (d3 style), written with fast-csv. Figures in SI; capacities of
 * unlimited links are written as "inf".
 */
import { writeFileSync } from 'node:fs';
import { format as csvFormat } from 'fast-csv';
import type { LinkResult, NodeResult, RunResult } from '../result/result';

type Column<T> = readonly [string, (x: T, r: RunResult) => string | number];

export const NODE_COLUMNS: readonly Column<NodeResult>[] = [
  ['run', (_, r) => r.label], ['node', (n) => n.name], ['site', (n, r) => r.sites[n.site].name], ['site_kind', (n, r) => r.sites[n.site].kind],
  ['gpu', (n) => n.gpu], ['gpus', (n) => n.gpus], ['slowdown', (n) => n.slowdown], ['join_at_s', (n) => n.joinAtS],
  ['online_s', (n) => n.onlineS], ['compute_s', (n) => n.computeS], ['comm_s', (n) => n.commS], ['comm_wan_s', (n) => n.commWanS],
  ['comm_intra_node_s', (n) => n.commIntraS], ['bubble_s', (n) => n.bubbleS], ['lost_work_s', (n) => n.lostWorkS],
  ['restart_s', (n) => n.restartS], ['checkpoint_s', (n) => n.checkpointS], ['absent_s', (n) => n.down.absentS],
  ['outage_s', (n) => n.down.outageS], ['repair_s', (n) => n.down.repairS], ['churn_s', (n) => n.down.churnS], ['tokens', (n) => n.tokens],
];

const num = (x: number) => (Number.isFinite(x) ? x : 'inf');
/** Fraction of the run's time; 0 for a run of no time. */
const frac = (s: number, r: RunResult) => (r.timeS > 0 ? s / r.timeS : 0);

export const LINK_COLUMNS: readonly Column<LinkResult>[] = [
  ['run', (_, r) => r.label], ['link', (l) => l.name], ['class', (l) => l.cls], ['site', (l, r) => (l.site >= 0 ? r.sites[l.site].name : '')],
  ['capacity_bytes_per_s', (l) => num(l.capacityBytesPerS)], ['bytes', (l) => l.bytes],
  ['utilization', (l, r) => (Number.isFinite(l.capacityBytesPerS) && l.capacityBytesPerS > 0 ? frac(l.bytes / l.capacityBytesPerS, r) : 0)],
  ['limiting_flow_s', (l) => l.limitingFlowS],
  ['limiting_share', (l, r) => { const all = r.links.reduce((x, y) => x + y.limitingFlowS, 0) + r.boundLimitedFlowS; return all > 0 ? l.limitingFlowS / all : 0; }],
];

/** CSV text of `rows` over `columns`, formatted synchronously by fast-csv. */
function csv<T>(columns: readonly Column<T>[], runs: readonly RunResult[], rowsOf: (r: RunResult) => readonly T[]): string {
  const chunks: string[] = [];
  const f = csvFormat({ headers: columns.map(([k]) => k), alwaysWriteHeaders: true });
  f.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  for (const r of runs) for (const x of rowsOf(r)) f.write(columns.map(([, get]) => get(x, r)));
  f.end();
  return `${chunks.join('')}\n`;
}

export function writeTables(dir: string, runs: readonly RunResult[]): void {
  writeFileSync(`${dir}/nodes.csv`, csv(NODE_COLUMNS, runs, (r) => r.nodes));
  writeFileSync(`${dir}/links.csv`, csv(LINK_COLUMNS, runs, (r) => r.links));
}
