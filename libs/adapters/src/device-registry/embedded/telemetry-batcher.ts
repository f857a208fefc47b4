import type { TelemetryPoint } from './telemetry-point.js';

export interface TelemetryBatcherOptions {
  /** Points that trigger a write at once instead of waiting for `maxDelayMs`. */
  maxBatchSize: number;
  /** How long the first message of a quiet period waits for company before it is written. */
  maxDelayMs: number;
  /** Waits between attempts when a write fails; the batch fails after the last one. */
  retryDelaysMs: readonly number[];
}

/** One device message's points; its promise settles when they are committed (or given up). */
interface PendingMessage {
  points: TelemetryPoint[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Counters for metrics and tests: how well the batching works. */
export interface TelemetryBatcherStats {
  /** Messages waiting for a write. */
  queuedMessages: number;
  /** Messages committed since start. */
  storedMessages: number;
  /** Write statements committed since start (one per batch). */
  writtenBatches: number;
}

/** Thrown to messages offered after close(): nothing may be accepted that will not be written. */
export class TelemetryBatcherClosedError extends Error {
  constructor() {
    super('telemetry batcher is closed');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Keeps only the newest point per (device, key) of a batch: one upsert statement cannot touch the
 * same row twice, and only the latest value is kept anyway. On equal timestamps the later
 * arrival wins, as it would have with one statement per message.
 */
export function newestPerKey(points: readonly TelemetryPoint[]): TelemetryPoint[] {
  const newest = new Map<string, TelemetryPoint>();
  for (const point of points) {
    const id = `${point.deviceId}\u0000${point.key}`;
    const current = newest.get(id);
    if (!current || point.ts.getTime() >= current.ts.getTime()) newest.set(id, point);
  }
  return [...newest.values()];
}

/**
 * Group commit for telemetry: messages wait a few milliseconds (or until `maxBatchSize` points
 * are queued) and are then written with one statement. One write runs at a time; whatever
 * arrives meanwhile forms the next batch, so batches grow with the load instead of the number of
 * round trips. A message's promise resolves only once its points are committed, which lets the
 * MQTT broker hold back the PUBACK until then: nothing acknowledged is ever lost, and a write that
 * keeps failing rejects its messages rather than dropping them silently.
 */
export class TelemetryBatcher {
  private queue: PendingMessage[] = [];
  private queuedPoints = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private storedMessages = 0;
  private writtenBatches = 0;

  constructor(
    private readonly write: (points: TelemetryPoint[]) => Promise<void>,
    private readonly onStored: (messages: readonly TelemetryPoint[][]) => void,
    private readonly options: TelemetryBatcherOptions,
  ) {}

  /** Queues one message's points; resolves once they are committed. */
  enqueue(points: TelemetryPoint[]): Promise<void> {
    if (this.closed) return Promise.reject(new TelemetryBatcherClosedError());
    if (points.length === 0) return Promise.resolve();
    const stored = new Promise<void>((resolve, reject) => this.queue.push({ points, resolve, reject }));
    this.queuedPoints += points.length;
    if (this.queuedPoints >= this.options.maxBatchSize) this.startDraining();
    else if (!this.timer && !this.draining)
      this.timer = setTimeout(() => this.startDraining(), this.options.maxDelayMs);
    return stored;
  }

  get stats(): TelemetryBatcherStats {
    return {
      queuedMessages: this.queue.length,
      storedMessages: this.storedMessages,
      writtenBatches: this.writtenBatches,
    };
  }

  /** Writes everything queued so far and waits for it. */
  async flush(): Promise<void> {
    this.startDraining();
    while (this.draining) await this.draining;
  }

  /** Refuses new messages, then writes the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private startDraining(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.draining || this.queue.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Messages offered between the last write and this callback found a drain running, so
      // they armed no timer: take them now.
      if (this.queue.length > 0) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        // Every point goes to the writer: it keeps them all in the history and the newest per key as latest.
        await this.writeWithRetry(batch.flatMap((message) => message.points));
      } catch (error) {
        for (const message of batch) message.reject(error);
        continue;
      }
      this.writtenBatches += 1;
      this.storedMessages += batch.length;
      for (const message of batch) message.resolve();
      this.announce(batch);
    }
  }

  /** Whole messages up to maxBatchSize points (at least one message, however large). */
  private takeBatch(): PendingMessage[] {
    let size = 0;
    let count = 0;
    while (
      count < this.queue.length &&
      (count === 0 || size + this.queue[count].points.length <= this.options.maxBatchSize)
    ) {
      size += this.queue[count].points.length;
      count += 1;
    }
    this.queuedPoints -= size;
    return this.queue.splice(0, count);
  }

  private async writeWithRetry(points: TelemetryPoint[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.write(points);
        return;
      } catch (error) {
        const delay = this.options.retryDelaysMs[attempt];
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }

  private announce(batch: PendingMessage[]): void {
    try {
      this.onStored(batch.map((message) => message.points));
    } catch {
      // A listener's failure must not fail a write that has already committed.
    }
  }
}
