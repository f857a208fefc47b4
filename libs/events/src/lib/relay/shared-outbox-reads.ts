import type { SqlSession } from '@flexgalaxy/db';
import { readOutboxAfter, type OutboxRow, type StreamPosition } from '../outbox/outbox.reader.js';
import type { WakeSignal } from './wake-signal.js';

interface InFlightRead {
  /** The wake signal's count when the read was sent. */
  seen: number;
  rows: Promise<readonly OutboxRow[]>;
}

/**
 * One outbox read for the relay loops that ask for the same page at once. Every NOTIFY wakes all
 * of a process' consumers (a dozen in the embedded platform), and those that are caught up all
 * read from the same position: without sharing, each commit cost a dozen identical queries
 * (about a fifth of a batch transfer's statements).
 *
 * A caller joins a read in flight only if no NOTIFY arrived since it was sent: its snapshot then
 * holds every commit the caller has been told about, exactly as a read of its own would. The rows
 * are shared, so callers must not change them.
 */
export class SharedOutboxReads {
  private readonly inFlight = new Map<string, InFlightRead>();

  constructor(
    private readonly sql: SqlSession,
    private readonly wake: WakeSignal,
  ) {}

  read(after: StreamPosition, limit: number): Promise<readonly OutboxRow[]> {
    const key = `${after.txId}:${after.seq}:${limit}`;
    const seen = this.wake.seen;
    const current = this.inFlight.get(key);
    if (current && current.seen === seen) return current.rows;
    const read: InFlightRead = {
      seen,
      rows: readOutboxAfter(this.sql, after, limit).finally(() => {
        if (this.inFlight.get(key) === read) this.inFlight.delete(key);
      }),
    };
    this.inFlight.set(key, read);
    return read.rows;
  }
}
