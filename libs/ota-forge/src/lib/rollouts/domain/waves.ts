/**
 * Phased rollout (seed 000 §2 "phased deployment"): the matched targets are split into waves by
 * cumulative percentage; a wave opens when the previous one reached the success threshold, and
 * the policy aborts when a wave reaches the error threshold.
 */
export interface WavePlan {
  /** Cumulative percentages, strictly increasing, ending at 100 ([10, 50, 100]); [] = one wave. */
  percentages: number[];
  /** % of a wave's targets that must have installed before the next wave opens. */
  successThreshold: number;
  /** % of a wave's targets whose install failed for good that aborts the rollout. */
  errorThreshold: number;
}

/** Wave (0-based) of the target ranked `rank` (1-based) among `total` matched in one batch. */
export function waveOfRank(rank: number, total: number, percentages: readonly number[]): number {
  if (percentages.length === 0) return 0;
  const index = percentages.findIndex((cumulative) => rank <= Math.ceil((cumulative * total) / 100));
  return index === -1 ? percentages.length - 1 : index;
}

/** Upper rank bound of each wave for a batch of `total` (what the bulk SQL compares ranks with). */
export function waveRankBounds(total: number, percentages: readonly number[]): number[] {
  return percentages.map((cumulative) => Math.ceil((cumulative * total) / 100));
}

export interface WaveProgress {
  /** Targets in the wave (canceled actions excluded). */
  total: number;
  /** Targets that installed. */
  succeeded: number;
  /** Targets whose last attempt failed with no retry left. */
  failed: number;
}

export type WaveDecision = 'advance' | 'abort' | 'hold';

export function decideWave(progress: WaveProgress, plan: WavePlan): WaveDecision {
  // An empty wave (a small fleet) holds nobody back.
  if (progress.total === 0) return 'advance';
  if ((progress.failed * 100) / progress.total >= plan.errorThreshold) return 'abort';
  if ((progress.succeeded * 100) / progress.total >= plan.successThreshold) return 'advance';
  return 'hold';
}

export function isValidWavePlan(percentages: readonly number[]): boolean {
  if (percentages.length === 0) return true;
  return (
    percentages.every((p, i) => Number.isInteger(p) && p > 0 && p <= 100 && (i === 0 || p > percentages[i - 1]!)) &&
    percentages.at(-1) === 100
  );
}
