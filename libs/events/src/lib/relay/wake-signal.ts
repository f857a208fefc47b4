/**
 * Wakes sleeping relay loops when the outbox gets a row (NOTIFY) or the poll interval passes,
 * whichever comes first. A loop reads `seen` before it looks at the outbox and passes it to
 * {@link wait}: a NOTIFY that arrived in between (while the loop was reading, not yet waiting)
 * is not lost, the wait returns at once — else that row would wait out the whole poll interval.
 */
export class WakeSignal {
  private waiters = new Set<() => void>();
  private notifications = 0;

  /** What to pass to {@link wait} after the read that follows. */
  get seen(): number {
    return this.notifications;
  }

  notify(): void {
    this.notifications++;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves at the next notification, at once if one came after `seen`, or after `timeoutMs`. */
  wait(timeoutMs: number, seen = this.notifications): Promise<void> {
    if (seen !== this.notifications) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
