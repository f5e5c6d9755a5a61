/**
 * Number formatting for the HTML report, shared by the page builder (Node) and the browser
 * bundle, so a figure reads the same in the text, the tables and the tooltips. Deterministic
 * (no locale): thin grouping with commas, SI-style suffixes.
 */
import type { ValueFormat } from './types';

/** `digits` significant digits, trailing zeros dropped; integers ≥ 1000 grouped with commas. */
export function fmtNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10 ** digits) return group(Math.round(v));
  const s = Number(v.toPrecision(digits));
  return a < 1e-3 ? s.toExponential() : String(s);
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const SUFFIXES: readonly [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/** Tokens (or any count) with a suffix: 1.4e11 → "140 B". */
export function fmtTokens(v: number): string {
  const a = Math.abs(v);
  for (const [f, s] of SUFFIXES) if (a >= f) return `${fmtNumber(v / f)} ${s}`;
  return fmtNumber(v);
}

/** A count: exact with grouping below 10^6, with a suffix above. */
export function fmtCount(v: number): string {
  if (Math.abs(v) < 1e6) return Number.isInteger(v) ? group(v) : fmtNumber(v);
  return fmtTokens(v);
}

/** A duration in the largest unit that keeps it ≥ 1: "4.6 days", "9.8 h", "35 min", "12 s". */
export function fmtDuration(s: number): string {
  const a = Math.abs(s);
  if (a >= 2 * 86400) return `${fmtNumber(s / 86400, 2)} days`;
  if (a >= 3600) return `${fmtNumber(s / 3600, 2)} h`;
  if (a >= 60) return `${fmtNumber(s / 60, 2)} min`;
  return `${fmtNumber(s, 2)} s`;
}

/** US dollars: "USD 10,486", "USD 1.23 M". */
export function fmtUsd(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `USD ${fmtTokens(v)}`;
  if (a >= 100) return `USD ${group(Math.round(v))}`;
  return `USD ${fmtNumber(v)}`;
}

/** Bytes, decimal: "24.9 TB". */
export function fmtBytes(v: number): string {
  const units: [number, string][] = [[1e15, 'PB'], [1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [f, u] of units) if (Math.abs(v) >= f) return `${fmtNumber(v / f)} ${u}`;
  return `${fmtNumber(v)} B`;
}

/** A data rate given in bytes/s, shown in bit/s as links are quoted: "10 Gbit/s". */
export function fmtBitRate(bytesPerS: number): string {
  const bits = bytesPerS * 8;
  const units: [number, string][] = [[1e12, 'Tbit/s'], [1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s']];
  for (const [f, u] of units) if (Math.abs(bits) >= f) return `${fmtNumber(bits / f)} ${u}`;
  return `${fmtNumber(bits)} bit/s`;
}

/** A fraction as a percentage: 0.2633 → "26.3 %". */
export function fmtPct(f: number, digits = 3): string {
  if (f !== 0 && Math.abs(f) < 0.001) return `${fmtNumber(f * 100, 1)} %`;
  return `${fmtNumber(f * 100, Math.abs(f) >= 0.1 ? digits : digits - 1)} %`;
}

/** A ratio: "11×", "1.45×", "0.71×". */
export function fmtRatio(r: number): string {
  return `${Math.abs(r) >= 10 ? fmtNumber(Math.round(r), 4) : fmtNumber(r, r >= 1 ? 3 : 2)}×`;
}

/** Energy in joules as kWh / MWh / GWh. */
export function fmtEnergy(j: number): string {
  const kwh = j / 3.6e6;
  if (Math.abs(kwh) >= 1e6) return `${fmtNumber(kwh / 1e6)} GWh`;
  if (Math.abs(kwh) >= 1e3) return `${fmtNumber(kwh / 1e3)} MWh`;
  return `${fmtNumber(kwh)} kWh`;
}

/** Tokens per second: "352 k tokens/s". */
export function fmtRate(v: number): string {
  return `${fmtTokens(v)} tokens/s`;
}

/** Formats a value by the named format. */
export function fmtValue(v: number, f: ValueFormat): string {
  switch (f) {
    case 'tokens': return fmtTokens(v);
    case 'count': return fmtCount(v);
    case 'pct': return fmtPct(v);
    case 'usd': return fmtUsd(v);
    case 'rate': return fmtRate(v);
    case 'duration': return fmtDuration(v);
    case 'bytes': return fmtBytes(v);
    default: return fmtNumber(v);
  }
}

/** The time unit a time axis should use for a span of `maxS` seconds. */
export function timeUnit(maxS: number): { readonly label: string; readonly seconds: number } {
  if (maxS >= 3 * 86400) return { label: 'days', seconds: 86400 };
  if (maxS >= 3 * 3600) return { label: 'hours', seconds: 3600 };
  if (maxS >= 180) return { label: 'minutes', seconds: 60 };
  return { label: 'seconds', seconds: 1 };
}
