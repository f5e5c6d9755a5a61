/** Display units for people (the only place besides scenario parsing where units change). */

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return 'n/a';
  if (s < 1) return `${(s * 1e3).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 3 * 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function formatCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : 2)}${u}`;
  return n.toFixed(n >= 100 ? 0 : 2);
}

export function formatBytes(b: number): string {
  const units: [number, string][] = [[1e15, 'PB'], [1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [v, u] of units) if (b >= v) return `${(b / v).toFixed(1)} ${u}`;
  return `${b.toFixed(0)} B`;
}

/** Bytes/s to bits/s with a prefix; unlimited links say so. */
export function formatRate(bytesPerS: number): string {
  if (!Number.isFinite(bytesPerS)) return 'unlimited';
  const bits = 8 * bytesPerS;
  const units: [number, string][] = [[1e12, 'Tbit/s'], [1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s']];
  for (const [v, u] of units) if (bits >= v) return `${(bits / v).toPrecision(3)} ${u}`;
  return `${bits.toFixed(0)} bit/s`;
}

export function formatUsd(x: number): string {
  if (x >= 1e9) return `$${(x / 1e9).toFixed(2)}B`;
  if (x >= 1e6) return `$${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `$${(x / 1e3).toFixed(1)}k`;
  return `$${x.toFixed(0)}`;
}

/** Joules to megawatt-hours. */
export function formatEnergy(j: number): string {
  const mwh = j / 3.6e9;
  return mwh >= 1 ? `${mwh.toFixed(1)} MWh` : `${(j / 3.6e6).toFixed(1)} kWh`;
}

export function formatPct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
