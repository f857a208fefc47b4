export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
}

const MAX_DELAY_MS = 30_000;

/** Exponential backoff with full jitter, so many failing consumers do not retry in step. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
