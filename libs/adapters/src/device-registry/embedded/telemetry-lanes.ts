import type { TelemetryPoint } from './telemetry-point.js';
import { TelemetryBatcher, type TelemetryBatcherOptions, type TelemetryBatcherStats } from './telemetry-batcher.js';

export interface TelemetryLanesOptions extends TelemetryBatcherOptions {
  /** Batchers that write side by side, each for its own share of the devices. */
  lanes: number;
}

/** FNV-1a: cheap, and spreads similar device ids (`amr-1`, `amr-2` …) over the lanes. */
function laneHash(deviceId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < deviceId.length; index++) {
    hash ^= deviceId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Several TelemetryBatchers, each owning the devices whose id hashes to it. One batcher writes one
 * batch at a time, so PostgreSQL works on one statement while the broker waits; with lanes, the
 * next batch is written while another commits, and both of the database's cores can work.
 *
 * A device always lands in the same lane, so everything one batcher guarantees still holds per
 * device: its messages commit (and are announced) in arrival order, and two statements in flight
 * never touch the same latest-value rows — no lock waits between them, no deadlock, and no older
 * value committed after a newer one with the same timestamp.
 */
export class TelemetryLanes {
  private readonly lanes: TelemetryBatcher[];

  constructor(
    write: (points: TelemetryPoint[]) => Promise<void>,
    onStored: (messages: readonly TelemetryPoint[][]) => void,
    options: TelemetryLanesOptions,
  ) {
    this.lanes = Array.from(
      { length: Math.max(1, options.lanes) },
      () => new TelemetryBatcher(write, onStored, options),
    );
  }

  /** Queues one message's points (all of one device); resolves once they are committed. */
  enqueue(points: TelemetryPoint[]): Promise<void> {
    const lane = points.length === 0 || this.lanes.length === 1 ? 0 : laneHash(points[0].deviceId) % this.lanes.length;
    return this.lanes[lane].enqueue(points);
  }

  get stats(): TelemetryBatcherStats {
    const total: TelemetryBatcherStats = { queuedMessages: 0, storedMessages: 0, writtenBatches: 0 };
    for (const { stats } of this.lanes) {
      total.queuedMessages += stats.queuedMessages;
      total.storedMessages += stats.storedMessages;
      total.writtenBatches += stats.writtenBatches;
    }
    return total;
  }

  /** Writes everything queued so far in every lane and waits for it. */
  async flush(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.flush()));
  }

  /** Refuses new messages, then writes the queued ones. */
  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }
}
