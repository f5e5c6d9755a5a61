/**
 * Classic hold-model benchmark of the event engine (Vaucher & Duval 1975; Jones 1986):
 * N events pending; each event, when it fires, schedules one new event at now + Exp(1).
 * The queue size stays N; events/s measures one pop + one push + one callback.
 */
import { Engine } from '../src/engine/engine';
import { RandomStream } from '../src/engine/rng';

export interface HoldResult {
  readonly n: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerS: number;
}

/** Runs the hold model with `n` pending events for `events` processed events. */
export function holdModel(n: number, events: number, seed = 1): HoldResult {
  const engine = new Engine(seed);
  const rng = new RandomStream(seed);
  let left = events;
  const hold = (): void => {
    engine.schedule(rng.exponential(1), hold);
    if (--left === 0) engine.stop();
  };
  for (let i = 0; i < n; i++) engine.schedule(rng.exponential(1), hold);
  const t0 = process.hrtime.bigint();
  engine.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { n, events: engine.processedEvents, seconds, eventsPerS: engine.processedEvents / seconds };
}
