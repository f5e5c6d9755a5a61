/**
 * Metrics of a summary by path (`run.timeToTrainS`, `comparison.costRatio`,
 * `run.perSite[0].costUsd`) and target conditions such as `run.timeToTrainS <= 90 days`.
 */
import { parseCount, parseQuantity, QUANTITY_KINDS, type QuantityKind } from '../scenario/units';

export type Op = '<=' | '<' | '>=' | '>' | '==' | '!=';

export interface Condition {
  readonly metric: string;
  readonly op: Op;
  /** In SI (seconds, bytes, USD, ...); booleans as 1 and 0. */
  readonly value: number;
  /** As written. */
  readonly text: string;
}

const METRIC_RE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$/;

/** A number, a boolean, or a quantity with a unit in SI; null if it is none of these. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (t === 'true') return 1;
  if (t === 'false') return 0;
  const c = parseCount(t);
  if (c.ok) return c.value;
  for (const k of Object.keys(QUANTITY_KINDS) as QuantityKind[]) {
    const q = parseQuantity(t, k);
    if (q.ok) return q.value;
  }
  return null;
}

/** Parses `metric op value`; a string is the error message. */
export function parseCondition(text: string): Condition | string {
  const m = /^\s*(\S+)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!m) return `expected "<metric> <op> <value>" with op one of <=, <, >=, >, ==, != (e.g. "run.timeToTrainS <= 90 days"), got ${JSON.stringify(text)}`;
  const [, metric, op, raw] = m;
  if (!METRIC_RE.test(metric)) return `expected a summary.json path like run.timeToTrainS, got ${JSON.stringify(metric)}`;
  const value = toNumber(raw);
  if (value === null) return `expected a number, true/false or a quantity like "90 days" after ${op}, got ${JSON.stringify(raw)}`;
  return { metric, op: op as Op, value, text: text.trim() };
}

/** The value at a summary path, or undefined. */
export function metricValue(summary: unknown, path: string): unknown {
  let v: unknown = summary;
  for (const k of path.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== '')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Whether a summary meets the condition; a missing or non-numeric metric does not. */
export function conditionMet(c: Condition, summary: unknown): boolean {
  const x = toNumber(metricValue(summary, c.metric));
  if (x === null) return false;
  switch (c.op) {
    case '<=': return x <= c.value;
    case '<': return x < c.value;
    case '>=': return x >= c.value;
    case '>': return x > c.value;
    case '==': return x === c.value;
    case '!=': return x !== c.value;
  }
}
