/** What to do after a failed install (seed 000 §4: "Status: failed, retry policy applies"). */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts: number;
  /** Wait before the second attempt. */
  backoffSeconds: number;
  /** Each further wait is this many times the previous one. */
  backoffMultiplier: number;
}

/** Longest wait between attempts, whatever the multiplier says. */
export const MAX_BACKOFF_SECONDS = 7 * 24 * 3600;

export type RetryDecision = { retry: true; attempt: number; notBefore: Date } | { retry: false };

/** After attempt `failedAttempt` (1-based) failed at `now`. */
export function decideRetry(policy: RetryPolicy, failedAttempt: number, now: Date): RetryDecision {
  if (failedAttempt >= policy.maxAttempts) return { retry: false };
  const wait = Math.min(
    MAX_BACKOFF_SECONDS,
    policy.backoffSeconds * Math.pow(policy.backoffMultiplier, failedAttempt - 1),
  );
  return { retry: true, attempt: failedAttempt + 1, notBefore: new Date(now.getTime() + wait * 1000) };
}
