import type { Tx } from '@flexgalaxy/db';

// Events applied per transaction: large enough that a burst is not a commit per event, small
// enough that a group holds its row locks briefly and one failure replays little.
export const GROUP_SIZE = 50;

/** How often an event's handler already failed, and the last error. */
export interface FailedAttempts {
  attempts: number;
  error: unknown;
}

/** What a transport lends to apply its events in groups. */
export interface GroupedApply<T> {
  /** Runs `work` for these consecutive events in one transaction, with the transport's bookkeeping. */
  inTransaction(group: T[], work: (tx: Tx) => Promise<void>): Promise<void>;
  /** Applies one event inside the group's transaction. */
  applyOne(tx: Tx, item: T): Promise<unknown>;
  /** Applies one event on its own, retrying it and dead-lettering it after the last attempt. */
  applyWithRetry(item: T, failed?: FailedAttempts): Promise<void>;
  /** An error that must end the run, not count as the group failing (another replica took over). */
  ends?(error: unknown): boolean;
  /** False once the transport is stopping: no further group starts. */
  running(): boolean;
}

/**
 * Applies events in order, a group per transaction. When an event's handler fails, the rollback
 * undid its group: the events before it are applied again as a group, the failing one goes on
 * alone with its retries (the group's try was its first attempt), and the rest follow as a group.
 * A group that fails otherwise (its commit) is applied one event at a time.
 */
export async function applyInGroups<T>(items: readonly T[], ops: GroupedApply<T>): Promise<void> {
  for (let from = 0; from < items.length && ops.running(); from += GROUP_SIZE) {
    await applyGroup(items.slice(from, from + GROUP_SIZE), ops);
  }
}

async function applyGroup<T>(group: T[], ops: GroupedApply<T>): Promise<void> {
  if (group.length === 0 || !ops.running()) return;
  if (group.length === 1) return ops.applyWithRetry(group[0]!);
  let failure: { index: number; error: unknown } | undefined;
  try {
    await ops.inTransaction(group, async (tx) => {
      for (const [index, item] of group.entries()) {
        try {
          await ops.applyOne(tx, item);
        } catch (error) {
          failure = { index, error };
          throw error;
        }
      }
    });
    return;
  } catch (error) {
    if (ops.ends?.(error)) throw error;
  }
  if (!failure) {
    for (const item of group) if (ops.running()) await ops.applyWithRetry(item);
    return;
  }
  const { index, error } = failure;
  await applyGroup(group.slice(0, index), ops);
  if (!ops.running()) return;
  await ops.applyWithRetry(group[index]!, { attempts: 1, error });
  await applyGroup(group.slice(index + 1), ops);
}

/**
 * Runs `attempt` until it succeeds; after `maxAttempts` failures in all (those in `failed`
 * included) hands the last error to `deadLetter`. `beforeRetry` waits (backoff) and may throw to stop.
 */
export async function withRetries(
  maxAttempts: number,
  attempt: () => Promise<void>,
  deadLetter: (error: unknown, attempts: number) => Promise<void>,
  beforeRetry: (failed: FailedAttempts) => Promise<void>,
  failed: FailedAttempts = { attempts: 0, error: null },
  isFinal: (error: unknown) => boolean = () => false,
): Promise<void> {
  let { attempts, error } = failed;
  for (;;) {
    if (attempts >= maxAttempts) return deadLetter(error, attempts);
    if (attempts > 0) await beforeRetry({ attempts, error });
    try {
      return await attempt();
    } catch (caught) {
      if (isFinal(caught)) throw caught;
      attempts++;
      error = caught;
    }
  }
}
