/**
 * The executive summary in plain language, as text segments; a segment with a `key` is a figure
 * from summary.json (its path), which the page marks so tests and readers can trace it. Pure.
 */
import { fmtCount, fmtDuration, fmtEnergy, fmtNumber, fmtPct, fmtRatio, fmtTokens, fmtUsd, fmtBytes } from './format';
import type { RunSummaryJson, SummaryJson } from './types';

export type Segment = string | { readonly text: string; readonly key?: string; readonly value?: number | boolean; readonly strong?: boolean };
export type Paragraph = readonly Segment[];

const fig = (key: string, value: number, text: string): Segment => ({ key, value, text });
const name = (text: string): Segment => ({ text, strong: true });

function finishedSentence(r: RunSummaryJson, path: string, budget: number): Segment[] {
  if (r.finished) {
    return [name(r.label), ' trains ', fig('scenario.tokens', budget, `${fmtTokens(budget)} tokens`), ' in ', fig(`${path}.timeToTrainS`, r.timeToTrainS, fmtDuration(r.timeToTrainS))];
  }
  return [name(r.label), ' did not finish: within its time limit of ', fig(`${path}.timeToTrainS`, r.timeToTrainS, fmtDuration(r.timeToTrainS)),
    ' it trained ', fig(`${path}.progress`, r.progress, fmtPct(r.progress)), ' of the ', fig('scenario.tokens', budget, `${fmtTokens(budget)}-token`), ' budget (',
    fig(`${path}.tokensTrained`, r.tokensTrained, `${fmtTokens(r.tokensTrained)} tokens`), ')'];
}

export function executiveSummary(s: SummaryJson): Paragraph[] {
  const r = s.run, b = s.baseline, c = s.comparison;
  const out: Paragraph[] = [];
  const budget = s.scenario.tokens;

  // 1. The headline: time, and the comparison when both finished.
  const head: Segment[] = finishedSentence(r, 'run', budget);
  if (b && c?.bothFinished && c.timeToTrainRatio !== undefined) {
    head.push(', ', fig('comparison.timeToTrainRatio', c.timeToTrainRatio, fmtRatio(c.timeToTrainRatio)), ' the time of ', name(b.label), ' (',
      fig('baseline.timeToTrainS', b.timeToTrainS, fmtDuration(b.timeToTrainS)), ')');
    if (c.costRatio !== undefined) {
      head.push(', at ', fig('comparison.costRatio', c.costRatio, fmtRatio(c.costRatio)), ' the cost (',
        fig('run.costUsd', r.costUsd, fmtUsd(r.costUsd)), ' against ', fig('baseline.costUsd', b.costUsd, fmtUsd(b.costUsd)), ')');
    }
    head.push('.');
  } else if (b) {
    head.push('. ', ...finishedSentence(b, 'baseline', budget), '.');
    head.push(' No time or cost ratio is given because a run that did not finish has no time to train.');
  } else {
    head.push(', at a cost of ', fig('run.costUsd', r.costUsd, fmtUsd(r.costUsd)), '. The scenario has no baseline to compare with.');
  }
  out.push(head);
  if (c?.note) out.push([{ text: c.note }]);

  // 2. Raw vs effective tokens.
  const eta = r.tokenEfficiency.value;
  if (Math.abs(eta - 1) > 1e-12) {
    const p: Segment[] = ['Its tokens are not all worth the same as synchronous training’s: at a token efficiency of ',
      fig('run.tokenEfficiency.value', eta, fmtNumber(eta)), ` (${r.tokenEfficiency.source}), the `,
      fig('run.tokensTrained', r.tokensTrained, `${fmtTokens(r.tokensTrained)} raw tokens`), ' count as ',
      fig('run.effectiveTokens', r.effectiveTokens, `${fmtTokens(r.effectiveTokens)} effective tokens`)];
    if (c?.bothFinished && c.effectiveTimeRatio !== undefined) p.push('; per effective token it takes ', fig('comparison.effectiveTimeRatio', c.effectiveTimeRatio, fmtRatio(c.effectiveTimeRatio)), ' the baseline’s time');
    p.push('.');
    out.push(p);
  }

  // 3. Utilization, honestly scoped.
  const u: Segment[] = ['Model FLOP utilization (MFU) is ', fig('run.mfu', r.mfu, fmtPct(r.mfu)), ' of the peak of the GPUs while they were online, and ',
    fig('run.mfuFleet', r.mfuFleet, fmtPct(r.mfuFleet)), ' over the whole fleet for the whole run'];
  if (b) u.push(', against ', fig('baseline.mfu', b.mfu, fmtPct(b.mfu)), ' for ', name(b.label));
  u.push(`. Throughput averaged `, fig('run.throughputTokensPerS', r.throughputTokensPerS, `${fmtTokens(r.throughputTokensPerS)} raw tokens/s`), '.');
  out.push(u);

  // 4. Energy, traffic, disruptions.
  const e: Segment[] = ['It used ', fig('run.energyJ', r.energyJ, fmtEnergy(r.energyJ))];
  if (b && c?.energyRatio !== undefined) e.push(' (', fig('comparison.energyRatio', c.energyRatio, fmtRatio(c.energyRatio)), ' the baseline’s)');
  e.push(', ', fig('run.gpuHours', r.gpuHours, `${fmtCount(Math.round(r.gpuHours))} GPU-hours`), ' online, and sent ', fig('run.wanBytesSent', r.wanBytesSent, fmtBytes(r.wanBytesSent)), ' across the WAN.');
  const ev = r.events;
  const parts: Segment[] = [];
  const add = (k: string, what: string) => {
    const n = ev[k];
    if (n !== undefined && n > 0) parts.push(parts.length ? ', ' : '', fig(`run.events.${k}`, n, fmtCount(n)), ` ${what}`);
  };
  add('failures', 'node failures');
  add('churn', 'churn events (home machines leaving or joining)');
  add('restarts', 'job restarts');
  add('discardedRounds', 'discarded DiLoCo rounds');
  // Older summaries have only the count of memberships.
  if (ev.sitOutPeriods !== undefined) add('sitOutPeriods', 'rounds with a group sitting out');
  else add('sitOutLayouts', 'fleet memberships with a group sitting out');
  if (parts.length) e.push(' Disruptions: ', ...parts, '.');
  else e.push(' No failures or churn interrupted it.');
  out.push(e);
  return out;
}

/** Key numbers: label, format and path for each row of the table beside the summary. */
export const KEY_NUMBERS: readonly { readonly label: string; readonly path: string; readonly fmt: (v: number) => string; readonly ratio?: string }[] = [
  { label: 'Time to train (time limit if not finished)', path: 'timeToTrainS', fmt: fmtDuration, ratio: 'timeToTrainRatio' },
  { label: 'Progress (tokens trained ÷ budget)', path: 'progress', fmt: fmtPct },
  { label: 'Raw tokens trained', path: 'tokensTrained', fmt: fmtTokens },
  { label: 'Effective tokens (raw × token efficiency)', path: 'effectiveTokens', fmt: fmtTokens },
  { label: 'Time per effective token (ratio only)', path: '', fmt: fmtNumber, ratio: 'effectiveTimeRatio' },
  { label: 'Token efficiency η', path: 'tokenEfficiency.value', fmt: (v) => fmtNumber(v) },
  { label: 'Throughput (raw tokens/s)', path: 'throughputTokensPerS', fmt: fmtTokens },
  { label: 'Throughput (effective tokens/s)', path: 'effectiveThroughputTokensPerS', fmt: fmtTokens },
  { label: 'MFU over online GPU time', path: 'mfu', fmt: fmtPct },
  { label: 'MFU over the whole fleet', path: 'mfuFleet', fmt: fmtPct },
  { label: 'GPUs (whole fleet)', path: 'gpus', fmt: fmtCount },
  { label: 'Sites', path: 'sites', fmt: fmtCount },
  { label: 'GPU-hours online', path: 'gpuHours', fmt: (v) => fmtCount(Math.round(v)) },
  { label: 'Energy', path: 'energyJ', fmt: fmtEnergy, ratio: 'energyRatio' },
  { label: 'Cost', path: 'costUsd', fmt: fmtUsd, ratio: 'costRatio' },
  { label: 'Bytes sent across the WAN', path: 'wanBytesSent', fmt: fmtBytes },
  { label: 'Tokens lost (work redone)', path: 'tokensLost', fmt: fmtTokens },
];

/** A value at a dotted path of an object (undefined when absent). */
export function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}
