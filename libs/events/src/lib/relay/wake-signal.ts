interface Waiter {
  wake(): void;
  /** The event types it waits for; null: any. */
  interest: ReadonlySet<string> | null;
}

/**
 * Wakes sleeping relay loops when the outbox gets a row (NOTIFY) or the poll interval passes,
 * whichever comes first. A NOTIFY naming event types wakes only the loops waiting for one of them
 * (or for any); one naming none wakes all.
 */
export class WakeSignal {
  private waiters = new Set<Waiter>();

  notify(types: readonly string[] = []): void {
    for (const waiter of [...this.waiters]) {
      if (types.length === 0 || !waiter.interest || types.some((type) => waiter.interest!.has(type))) waiter.wake();
    }
  }

  wait(timeoutMs: number, interest: ReadonlySet<string> | null = null): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        interest,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
