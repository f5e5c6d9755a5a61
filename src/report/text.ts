/** The short human summary printed after a run: the system and its baseline side by side. */
import type { SimulationResult } from '../sim/simulate';
import type { RunSummary } from '../metrics/summary';
import { formatBytes, formatCount, formatDuration, formatEnergy, formatPct, formatUsd } from './format';

type Line = [string, (r: RunSummary) => string];

const LINES: Line[] = [
  ['GPUs', (r) => `${r.gpus} (${Object.entries(r.gpuTypes).map(([k, v]) => `${v}× ${k}`).join(', ')})`],
  ['sites', (r) => String(r.sites)],
  ['time to train', (r) => `${formatDuration(r.timeToTrainS)}${r.finished ? '' : ' (not finished)'}`],
  ['tokens trained', (r) => formatCount(r.tokensTrained)],
  ['effective tokens', (r) => `${formatCount(r.effectiveTokens)} (×${r.tokenEfficiency.value.toFixed(2)})`],
  ['throughput', (r) => `${formatCount(r.throughputTokensPerS)} tokens/s`],
  ['MFU', (r) => formatPct(r.mfu)],
  ['compute', (r) => share(r, r.breakdown.computeS)],
  ['communication', (r) => share(r, r.breakdown.communicationS)],
  ['pipeline bubble', (r) => share(r, r.breakdown.bubbleS)],
  ['idle', (r) => share(r, r.breakdown.idleS)],
  ['failures', (r) => `${share(r, r.breakdown.failureS)} (${r.events.failures} failures, ${r.events.restarts} restarts)`],
  ['checkpoints', (r) => share(r, r.breakdown.checkpointS)],
  ['offline', (r) => `${share(r, r.breakdown.offlineS)} (${r.events.churn} churn events)`],
  ['WAN bytes', (r) => formatBytes(r.bytesByLinkClass['wan-access'])],
  ['GPU-hours', (r) => formatCount(r.gpuHours)],
  ['energy', (r) => formatEnergy(r.energyJ)],
  ['rental cost', (r) => formatUsd(r.rentalCostUsd)],
  ['energy cost', (r) => formatUsd(r.energyCostUsd)],
];

function share(r: RunSummary, s: number): string {
  return r.timeToTrainS > 0 ? formatPct(s / r.timeToTrainS) : '0%';
}

export function formatSummary(res: SimulationResult): string {
  const runs = [res.run, ...(res.baseline ? [res.baseline] : [])];
  const w0 = Math.max(...LINES.map(([k]) => k.length)) + 2;
  const cols = runs.map((r) => Math.max(r.label.length, ...LINES.map(([, f]) => f(r).length)) + 2);
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - s.length));
  const out = [
    `${res.scenario.name}: ${res.scenario.model} (${formatCount(res.scenario.params)} params), ${formatCount(res.scenario.tokens)} tokens, seed ${res.scenario.seed}`,
    '',
    pad('', w0) + runs.map((r, i) => pad(r.label, cols[i])).join(''),
    ...LINES.map(([k, f]) => pad(k, w0) + runs.map((r, i) => pad(f(r), cols[i])).join('')),
  ];
  if (res.comparison) {
    const c = res.comparison;
    out.push('', `${res.run.label} vs ${res.baseline!.label}: ${c.timeToTrainRatio.toFixed(2)}× the time (${c.effectiveTimeRatio.toFixed(2)}× per effective token), ` +
      `${c.costRatio.toFixed(2)}× the cost, ${c.energyRatio.toFixed(2)}× the energy`);
  }
  return out.join('\n');
}
