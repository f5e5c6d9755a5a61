/**
 * A constant-product market (x·y = k) between the token and USD, with a swap fee that stays in
 * the pool (Uniswap v2: the invariant holds on the fee-reduced input,
 * (x + (1 − f)·Δx)·(y − Δy) = x·y, so k grows by the fee; H. Adams et al., "Uniswap v2 Core",
 * 2020, §3.2.1). Selling Δx tokens yields Δy = y·(1 − f)Δx / (x + (1 − f)Δx), the sell formula of
 * OutlierVentures/QTM-Interface Model/parts/ecosystem/liquidity_pool.py with a fee.
 */
export interface Pool {
  readonly tokens: number;
  readonly usd: number;
}

export function poolPrice(p: Pool): number {
  return p.usd / p.tokens;
}

/** Sell `tokensIn` (≥ 0) into the pool: the USD paid out and the pool after. */
export function sellTokens(p: Pool, tokensIn: number, fee: number): { pool: Pool; usdOut: number } {
  if (!(tokensIn > 0)) return { pool: p, usdOut: 0 };
  const eff = tokensIn * (1 - fee);
  const usdOut = (p.usd * eff) / (p.tokens + eff);
  return { pool: { tokens: p.tokens + tokensIn, usd: p.usd - usdOut }, usdOut };
}

/** Buy tokens with `usdIn` (≥ 0): the tokens paid out and the pool after. */
export function buyTokens(p: Pool, usdIn: number, fee: number): { pool: Pool; tokensOut: number } {
  if (!(usdIn > 0)) return { pool: p, tokensOut: 0 };
  const eff = usdIn * (1 - fee);
  const tokensOut = (p.tokens * eff) / (p.usd + eff);
  return { pool: { tokens: p.tokens - tokensOut, usd: p.usd + usdIn }, tokensOut };
}

/** Tokens to sell (ratio < 1) so that the fee-free price moves by `ratio`: x·(1/√r − 1). */
export function tokensToLowerPrice(p: Pool, ratio: number): number {
  return ratio >= 1 ? 0 : p.tokens * (1 / Math.sqrt(ratio) - 1);
}

/** USD to spend (ratio > 1) so that the fee-free price moves by `ratio`: y·(√r − 1). */
export function usdToRaisePrice(p: Pool, ratio: number): number {
  return ratio <= 1 ? 0 : p.usd * (Math.sqrt(ratio) - 1);
}
