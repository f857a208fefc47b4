/**
 * What a benchmark reports: one figure per measured quantity, each with the comparisons measured
 * in the same run (so the ratio holds on any machine) and the goal issue #10 set for it.
 */

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export interface Comparison {
  /** What was measured instead (`bare Fastify route (floor)`, `Mosquitto 1883`). */
  label: string;
  value: number | null;
  /** Why there is no value: the server is absent, or it failed (never a made-up number). */
  unavailable?: string;
  latencyMs?: Latency;
  /** ours ÷ comparison, in the figure's direction (see Figure.higherIsBetter). */
  ratio: number | null;
}

export interface Goal {
  text: string;
  /** null: the goal has no threshold (reported only). */
  met: boolean | null;
}

export interface Figure {
  benchmark: string;
  /** Stable key, e.g. `ddi-polls.10k`. */
  id: string;
  name: string;
  unit: string;
  value: number | null;
  higherIsBetter: boolean;
  latencyMs?: Latency;
  comparisons: Comparison[];
  goal: Goal;
  /** Exactly what was measured, from when to when. */
  definition: string;
  /** Set when the benchmark failed: the figure carries no value then. */
  error?: string;
  /** Why this figure could not be measured here (a real server absent); value is null then. */
  unavailable?: string;
  details?: Record<string, unknown>;
}

export function percentiles(samples: readonly number[]): Latency {
  if (samples.length === 0) return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** ours ÷ theirs for throughput; theirs ÷ ours for durations — above 1 means we are better. */
export function ratioOf(ours: number | null, theirs: number | null, higherIsBetter: boolean): number | null {
  if (ours === null || theirs === null || !Number.isFinite(ours) || !Number.isFinite(theirs)) return null;
  if (higherIsBetter) return theirs === 0 ? null : ours / theirs;
  return ours === 0 ? null : theirs / ours;
}

export function compared(
  label: string,
  ours: number | null,
  theirs: number | null,
  higherIsBetter: boolean,
): Comparison {
  return { label, value: theirs, ratio: ratioOf(ours, theirs, higherIsBetter) };
}

export function unavailable(label: string, reason: string): Comparison {
  return { label, value: null, unavailable: reason, ratio: null };
}

export const atLeast = (value: number | null, threshold: number, text: string): Goal => ({
  text,
  met: value === null ? false : value >= threshold,
});

export const atMost = (value: number | null, threshold: number, text: string): Goal => ({
  text,
  met: value === null ? false : value <= threshold,
});

export const reported = (text = 'reported'): Goal => ({ text, met: null });

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
