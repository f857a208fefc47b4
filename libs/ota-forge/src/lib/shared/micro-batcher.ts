interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

export interface MicroBatcherOptions {
  /** Statements in flight at once: a few, so requests that arrive meanwhile gather into the next one. */
  maxInFlight: number;
  /** Keys per statement: bounds one statement's size and its rows' latency. */
  maxBatch: number;
}

/**
 * Gathers the keys requested in the same event-loop turn (and while earlier statements run) into
 * one call of `run`: one round trip and one executor start for many devices, where PostgreSQL and
 * the socket writes cost most per request. Never a cache: every call is made after each of its
 * requests arrived, so a request sees at least what a statement of its own would have seen.
 * Requests for the same key share its answer.
 */
export class MicroBatcher<K, V> {
  private waiting = new Map<K, Waiter<V>[]>();
  private inFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly run: (keys: K[]) => Promise<Map<K, V>>,
    private readonly options: MicroBatcherOptions,
  ) {}

  /** The value `run` gives for `key`; undefined when it gives none. */
  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.options.maxInFlight) return;
    this.flushScheduled = true;
    // After this turn's I/O callbacks: the requests read from the sockets in the same turn join in.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.size > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      void this.run([...batch.keys()])
        .then(
          (values) => {
            for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(values.get(key));
          },
          (error: unknown) => {
            for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          // Requests that waited for a free slot go now, without waiting for another turn.
          if (this.waiting.size > 0) this.flush();
        });
    }
  }

  private take(): Map<K, Waiter<V>[]> {
    if (this.waiting.size <= this.options.maxBatch) {
      const all = this.waiting;
      this.waiting = new Map();
      return all;
    }
    const batch = new Map<K, Waiter<V>[]>();
    for (const [key, waiters] of this.waiting) {
      if (batch.size === this.options.maxBatch) break;
      batch.set(key, waiters);
      this.waiting.delete(key);
    }
    return batch;
  }
}
