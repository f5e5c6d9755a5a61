/** The short human summary printed after a run: the system and its baseline side by side. */
import type { SimulationResult } from '../sim/simulate';
import type { RunSummary } from '../result/summary';
import { bottlenecks } from '../result/bottleneck';
import { formatBytes, formatRate, formatCount, formatDuration, formatEnergy, formatPct, formatUsd } from './format';

type Line = [string, (r: RunSummary) => string];

const LINES: Line[] = [
  ['GPUs', (r) => `${r.gpus} (${Object.entries(r.gpuTypes).map(([k, v]) => `${v}× ${k}`).join(', ')})`],
  ['sites', (r) => String(r.sites)],
  ['efficiency curves', (r) => Object.entries(r.efficiencySources).map(([g, src]) => `${g}: ${src}`).join(', ')],
  ['time to train', (r) => r.finished ? formatDuration(r.timeToTrainS)
    : `not finished: ${formatPct(r.progress)} of the tokens in ${formatDuration(r.timeToTrainS)}` +
      (r.stopReason === 'event-limit' ? ` (stopped at engine.maxEvents = ${r.simulator.events})` : ' (engine.maxTime)')],
  ['tokens trained', (r) => formatCount(r.tokensTrained)],
  ['effective tokens', (r) => `${formatCount(r.effectiveTokens)} (×${r.tokenEfficiency.value.toFixed(2)}, ${r.tokenEfficiency.source})`],
  ['throughput', (r) => `${formatCount(r.throughputTokensPerS)} tokens/s`],
  ['MFU, online GPU time', (r) => formatPct(r.mfu)],
  ['MFU, whole fleet', (r) => formatPct(r.mfuFleet)],
  ['compute', (r) => share(r, r.breakdown.computeS)],
  ['communication', (r) => `${share(r, r.breakdown.communicationS)} (${commParts(r)})`],
  ['pipeline bubble', (r) => share(r, r.breakdown.bubbleS)],
  ['idle (online)', (r) => share(r, r.breakdown.idleS)],
  ['lost work', (r) => `${share(r, r.breakdown.lostWorkS)} (${lostCauses(r)})`],
  ['restarts', (r) => `${share(r, r.breakdown.restartS)} (${r.events.restarts} restarts)`],
  ['checkpoints', (r) => share(r, r.breakdown.checkpointS)],
  ['down for repair', (r) => `${share(r, r.breakdown.repairS)} (${r.events.failures} failures)`],
  ['offline (churn)', (r) => `${share(r, r.breakdown.offlineS)} (${r.events.churn} churn events)`],
  ['site outages', (r) => `${share(r, r.breakdown.outageS)} (${r.events.outages} node outages)`],
  ['not in the fleet', (r) => share(r, r.breakdown.absentS)],
  ['WAN traffic (sent once)', (r) => formatBytes(r.wanBytesSent)],
  ['GPU-hours (online)', (r) => formatCount(r.gpuHours)],
  ['energy', (r) => formatEnergy(r.energyJ)],
  ['cost', (r) => `${formatUsd(r.costUsd)} (${costParts(r)})`],
];

/** Exposed communication by the widest network crossed. */
function commParts(r: RunSummary): string {
  const c = r.breakdown.communicationByScope;
  return `WAN ${share(r, c.wanS)}, site ${share(r, c.siteS)}, intra-node ${share(r, c.intraNodeS)}`;
}

function lostCauses(r: RunSummary): string {
  const parts: string[] = [];
  if (r.events.discardedRounds > 0) parts.push(`${r.events.discardedRounds} rounds discarded: a member left mid-round`);
  if (r.events.restarts > 0) parts.push(`rolled back ${r.events.restarts}×`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

function costParts(r: RunSummary): string {
  const c = r.cost;
  const parts: [string, number][] = [['rental', c.rentalUsd], ['depreciation', c.depreciationUsd], ['hosting', c.hostingUsd], ['electricity', c.electricityUsd]];
  const shown = parts.filter(([, v]) => v > 0).map(([k, v]) => `${k} ${formatUsd(v)}`);
  return shown.length > 0 ? shown.join(' + ') : 'nothing priced';
}

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
    const x = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(2)}×`);
    out.push('', c.bothFinished
      ? `${res.run.label} vs ${res.baseline!.label}: ${x(c.timeToTrainRatio)} the time (${x(c.effectiveTimeRatio)} per effective token), ` +
        `${x(c.costRatio)} the cost, ${x(c.energyRatio)} the energy`
      : `${res.run.label} vs ${res.baseline!.label}: ${c.note}`);
  }
  for (const [r, detail] of [[res.run, res.details.run], [res.baseline, res.details.baseline]] as const) {
    if (!r || !detail) continue;
    const b = bottlenecks(detail);
    if (b.links.length === 0 && b.windowShare === 0) {
      out.push('', `${r.label}: no transfer was ever limited by a link or a TCP window`);
      continue;
    }
    out.push('', `${r.label}: what limited transfers (share of flow time; mean link utilization):`);
    for (const x of b.links) {
      out.push(`  ${x.link.name} (${x.link.cls}, ${formatRate(x.link.capacityBytesPerS)}): ${formatPct(x.share)}; utilization ${formatPct(x.utilization)}`);
    }
    if (b.windowShare > 0) out.push(`  TCP window (window ÷ RTT per stream): ${formatPct(b.windowShare)}`);
  }
  if (res.economy) out.push('', ...economyLines(res));
  return out.join('\n');
}

/** The economy in a few lines: what it paid, what it bought, and the headline against the hyperscalers. */
function economyLines(res: SimulationResult): string[] {
  const e = res.economy!, f = e.summary.final, h = e.headline;
  const lines = [
    `token economy: ${e.summary.days} days (${e.coupledDays} coupled to the run's verified work, ${e.uncoupledDays} after it on the capacity model)` +
      (e.summary.preset ? `, preset ${e.summary.preset}` : '') + (e.scale !== 1 ? `; supply, emission, inflows and demand scaled ×${e.scale.toPrecision(3)} to the system's size` : ''),
    `  token price ${formatUsd(f.priceUsd)} at the end (peak ${formatUsd(e.summary.peakPriceUsd)}, max drawdown ${formatPct(e.summary.maxDrawdown)}), market cap ${formatUsd(f.marketCapUsd)}`,
    `  emissions worth ${formatUsd(e.summary.emissionValueUsd)}; operators got ${formatUsd(e.summary.operatorRewardUsd)} of the ${formatUsd(e.summary.requiredSubsidyUsd)} subsidy they needed (${formatPct(e.summary.subsidyCoverage)})`,
    `  absorption: investors bought ${formatUsd(e.summary.investorBuyUsd)} against ${formatUsd(e.summary.operatorSellUsd + e.summary.unlockSellUsd + e.summary.otherSellUsd)} of selling (ratio ${e.summary.absorptionRatio.toFixed(2)})`,
    `  capacity ${formatCount(f.capacityH100eq)} H100-eq at the end, ${(100 * f.capacityShare).toPrecision(2)}% of the hyperscalers' ${formatCount(f.hyperscalerH100eq)}; idle ${formatPct(f.idleFraction)}, exited ${formatPct(f.exitFraction)}`,
    `  the model under this economy: ${h.finished ? formatDuration(h.timeToTrainS) : `not finished in ${formatDuration(h.timeToTrainS)}`}; ` +
      `the hyperscalers' whole fleet would need ${formatDuration(h.hyperscalerTimeToTrainS)} (at MFU ${formatPct(h.hyperscalerMfu)}, ${h.hyperscalerMfuSource})`,
  ];
  for (const [cls, s] of Object.entries(e.nodeShortfall)) {
    lines.push(`  note: ${cls} operators wanted up to ${s.maxGpus} more GPUs active than the run had nodes for (${s.days} days; reserve ${e.reservePerGpu}× the day-0 fleet)`);
  }
  if (e.trainingAfterEconomyS > 0) {
    lines.push(`  note: training went on ${formatDuration(e.trainingAfterEconomyS)} after the economy's last day (day ${e.summary.days}); from then on the fleet stayed as the economy left it (set economy.days to cover the run)`);
  }
  if (e.droppedClasses.length > 0) lines.push(`  note: cohort classes without nodes in the system were left out: ${e.droppedClasses.join(', ')}`);
  return lines;
}
