import { describe, it, expect } from 'vitest';
import { buyTokens, poolPrice, sellTokens, tokensToLowerPrice, usdToRaisePrice } from '../../src/economy/pool';

describe('constant-product pool', () => {
  const pool = { tokens: 300_000, usd: 90e6 };

  it('a swap keeps x·y on the fee-reduced input and never lowers it (Uniswap v2 §3.2.1)', () => {
    for (const fee of [0, 0.003, 0.01]) {
      for (const dx of [1, 1000, 50_000, 1e6]) {
        const { pool: p, usdOut } = sellTokens(pool, dx, fee);
        expect(usdOut).toBeGreaterThan(0);
        expect(usdOut).toBeLessThan(pool.usd);
        expect(((pool.tokens + (1 - fee) * dx) * p.usd) / (pool.tokens * pool.usd)).toBeCloseTo(1, 12);
        expect(p.tokens * p.usd).toBeGreaterThanOrEqual(pool.tokens * pool.usd * (1 - 1e-12));
        if (fee === 0) expect((p.tokens * p.usd) / (pool.tokens * pool.usd)).toBeCloseTo(1, 12);
        else expect(p.tokens * p.usd).toBeGreaterThan(pool.tokens * pool.usd);
      }
      for (const dy of [1, 1e5, 1e7, 1e9]) {
        const { pool: p, tokensOut } = buyTokens(pool, dy, fee);
        expect(tokensOut).toBeLessThan(pool.tokens);
        expect(((pool.usd + (1 - fee) * dy) * p.tokens) / (pool.tokens * pool.usd)).toBeCloseTo(1, 12);
        expect(p.tokens * p.usd).toBeGreaterThanOrEqual(pool.tokens * pool.usd * (1 - 1e-12));
      }
    }
  });

  it('selling lowers the price, buying raises it; zero trades change nothing', () => {
    expect(poolPrice(sellTokens(pool, 1000, 0.003).pool)).toBeLessThan(poolPrice(pool));
    expect(poolPrice(buyTokens(pool, 1e6, 0.003).pool)).toBeGreaterThan(poolPrice(pool));
    expect(sellTokens(pool, 0, 0.003)).toEqual({ pool, usdOut: 0 });
    expect(buyTokens(pool, 0, 0.003)).toEqual({ pool, tokensOut: 0 });
  });

  it('moves the fee-free price by a given ratio', () => {
    const down = sellTokens(pool, tokensToLowerPrice(pool, 0.2), 0).pool;
    expect(poolPrice(down) / poolPrice(pool)).toBeCloseTo(0.2, 12);
    const up = buyTokens(pool, usdToRaisePrice(pool, 3), 0).pool;
    expect(poolPrice(up) / poolPrice(pool)).toBeCloseTo(3, 12);
  });
});
