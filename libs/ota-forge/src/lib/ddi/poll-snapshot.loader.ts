import { Inject, Injectable } from '@nestjs/common';
import { DdiRepository, type PollSnapshot } from './ddi.repository.js';

interface Waiter {
  resolve(snapshot: PollSnapshot | null): void;
  reject(error: unknown): void;
}

/** Statements in flight at once: a few, so polls that arrive meanwhile gather into the next one. */
const MAX_IN_FLIGHT = 4;
/** Hashes per statement: bounds one statement's size and its rows' latency. */
const MAX_BATCH = 256;

/**
 * Reads the poll snapshots of polls that arrive together in one statement (one round trip and one
 * executor start for many devices, where PostgreSQL and the socket writes cost most per poll).
 * Never a cache: every statement is sent after each of its polls arrived, so a poll sees at least
 * what a statement of its own would have seen; an action created or cancelled before the poll
 * arrived is in its answer.
 */
@Injectable()
export class PollSnapshotLoader {
  private waiting = new Map<string, Waiter[]>();
  private inFlight = 0;
  private flushScheduled = false;

  constructor(@Inject(DdiRepository) private readonly ddi: DdiRepository) {}

  /** The target holding the token with this hash and what its poll needs; null if none does. */
  load(tokenHash: string): Promise<PollSnapshot | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(tokenHash);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(tokenHash, [{ resolve, reject }]);
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= MAX_IN_FLIGHT) return;
    this.flushScheduled = true;
    // After this turn's I/O callbacks: the polls read from the sockets in the same turn join in.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.size > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.take();
      this.inFlight++;
      void this.ddi
        .pollSnapshots([...batch.keys()])
        .then(
          (snapshots) => {
            for (const [hash, waiters] of batch)
              for (const waiter of waiters) waiter.resolve(snapshots.get(hash) ?? null);
          },
          (error: unknown) => {
            for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          // Polls that waited for a free slot go now, without waiting for another turn.
          if (this.waiting.size > 0) this.flush();
        });
    }
  }

  private take(): Map<string, Waiter[]> {
    if (this.waiting.size <= MAX_BATCH) {
      const all = this.waiting;
      this.waiting = new Map();
      return all;
    }
    const batch = new Map<string, Waiter[]>();
    for (const [hash, waiters] of this.waiting) {
      if (batch.size === MAX_BATCH) break;
      batch.set(hash, waiters);
      this.waiting.delete(hash);
    }
    return batch;
  }
}
