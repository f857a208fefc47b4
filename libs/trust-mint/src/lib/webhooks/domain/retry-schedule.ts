/**
 * When a failed delivery is tried again. `schedule[n]` is the delay after the (n+1)-th failed
 * attempt of the current round; once the schedule is used up the delivery is dead-lettered.
 * Jitter spreads each delay by ± `jitter`, so many deliveries failing together do not retry together.
 */
export function nextAttemptDelay(
  schedule: readonly number[],
  failedAttempts: number,
  jitter: number,
  random: () => number = Math.random,
): number | null {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}

/** Retry-After (seconds or an HTTP date) in milliseconds, if the receiver sent a usable one. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}
