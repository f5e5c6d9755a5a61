/** The trainer's run-level trace spans (dtsim run --trace): periods and fast-forwarded blocks. */
import { RUN_TRACK, type Tracer } from '../trace/tracer';

/** A period simulated in detail (a step, or a DiLoCo round), at its end. */
export function tracePeriod(tr: Tracer, name: string, startS: number, endS: number, tokens: number): void {
  tr.periods(startS, 1, endS - startS);
  tr.span(RUN_TRACK, name, 'period', startS, endS, { tokens });
  tr.advance(endS);
}

/**
 * A fast-forwarded block of identical periods of `periodS` each, from `t0` to `endS`, at its end
 * (the tracer was told the block's planned periods when it started).
 */
export function traceBlock(tr: Tracer, t0: number, endS: number, periodS: number): void {
  const n = Math.round((endS - t0) / periodS);
  tr.span(RUN_TRACK, `fast-forward: ${n} periods`, 'fast-forward', t0, endS, { periods: n, periodS });
  tr.advance(endS);
}
