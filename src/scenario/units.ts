/**
 * Quantities with units, parsed at the edge and returned in SI.
 *
 * Only `math.unit(text)` is used: it parses "<number> <unit>" and never evaluates an
 * expression, so a scenario string cannot call functions or define variables.
 */
import { createRequire } from 'node:module';
import type { Unit } from 'mathjs';

// mathjs's single-file build (an entry its package exports): the same library, loaded in about
// 0.1 s where its hundreds of ES modules take 1–1.7 s, which every CLI call and worker thread paid.
const mathjs = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as typeof import('mathjs');
const math = mathjs.create(mathjs.all);
// Units mathjs lacks. FLOP and USD are new base dimensions; bps and bit are spellings
// researchers use for data rates ("25 Gbps", "500 Mbit/s").
math.createUnit('FLOP', { aliases: ['FLOPs', 'flop', 'flops'], prefixes: 'short' });
math.createUnit('USD', { aliases: ['usd', 'dollar', 'dollars'] });
math.createUnit('bit', { definition: '1 b', prefixes: 'short', aliases: ['bits'] }, { override: true });
math.createUnit('bps', { definition: '1 b/s', prefixes: 'short' });
math.createUnit('Bps', { definition: '1 B/s', prefixes: 'short' });

/** Kinds of quantity a scenario field can hold; each maps to its SI target unit. */
export const QUANTITY_KINDS = {
  time: { si: 's', example: '"80 ms", "6 h"' },
  bytes: { si: 'B', example: '"80 GiB", "16 MiB"' },
  dataRate: { si: 'B/s', example: '"10 Gbit/s", "25 Gbps", "3 GB/s"' },
  power: { si: 'W', example: '"700 W", "1.2 kW"' },
  energy: { si: 'J', example: '"3 kWh"' },
  flop: { si: 'FLOP', example: '"6e23 FLOP"' },
  flopRate: { si: 'FLOP/s', example: '"989.4 TFLOP/s"' },
  usd: { si: 'USD', example: '"30000 USD"' },
  usdPerTime: { si: 'USD/s', example: '"2.5 USD/h"' },
  usdPerEnergy: { si: 'USD/J', example: '"0.08 USD/kWh"' },
} as const;

export type QuantityKind = keyof typeof QUANTITY_KINDS;

export type Parsed = { ok: true; value: number } | { ok: false; expected: string };

const targets = new Map<QuantityKind, Unit>(
  (Object.keys(QUANTITY_KINDS) as QuantityKind[]).map((k) => [k, math.unit(QUANTITY_KINDS[k].si)]),
);

/** Human description of what a field of this kind accepts, for error messages. */
export function expectedText(kind: QuantityKind): string {
  const names: Record<QuantityKind, string> = {
    time: 'a duration', bytes: 'a data size', dataRate: 'a data rate', power: 'a power',
    energy: 'an energy', flop: 'a FLOP count', flopRate: 'a compute rate', usd: 'an amount in USD',
    usdPerTime: 'a price per unit of time', usdPerEnergy: 'a price per energy',
  };
  return `${names[kind]} like ${QUANTITY_KINDS[kind].example}`;
}

/**
 * Parse `text` as a quantity of `kind` and return it in SI (see QUANTITY_KINDS).
 * Plain numbers are rejected for dimensioned kinds: "10" could mean anything.
 */
export function parseQuantity(text: unknown, kind: QuantityKind): Parsed {
  const fail: Parsed = { ok: false, expected: expectedText(kind) };
  if (typeof text !== 'string') return fail;
  let unit: Unit;
  try {
    unit = math.unit(text.trim());
  } catch {
    return fail;
  }
  const target = targets.get(kind)!;
  if (!unit.equalBase(target) || unit.value === null) return fail;
  const value = unit.toNumber(QUANTITY_KINDS[kind].si);
  return Number.isFinite(value) ? { ok: true, value } : fail;
}

/**
 * A dimensionless count such as a token budget: accepts numbers and numeric strings
 * ("1e12", "2T" is not accepted: be explicit).
 */
export function parseCount(text: unknown): Parsed {
  const fail: Parsed = { ok: false, expected: 'a number like 1e12 or "1e12"' };
  const value = typeof text === 'number' ? text : typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  return Number.isFinite(value) ? { ok: true, value } : fail;
}
