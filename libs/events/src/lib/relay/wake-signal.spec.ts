import { WakeSignal } from './wake-signal.js';

const settle = async (promise: Promise<void>, withinMs: number): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), withinMs)),
  ]);

describe(WakeSignal.name, () => {
  it('should wake every waiting loop at a notification', async () => {
    const signal = new WakeSignal();
    const waits = [signal.wait(60_000), signal.wait(60_000)];
    signal.notify();
    expect(await Promise.all(waits.map((wait) => settle(wait, 50)))).toEqual([true, true]);
  });

  it('should return at once when a notification came between the read and the wait, for each loop', async () => {
    const signal = new WakeSignal();
    const first = signal.seen;
    const second = signal.seen;
    signal.notify(); // while both loops were reading the outbox
    expect(await settle(signal.wait(60_000, first), 50)).toBe(true);
    expect(await settle(signal.wait(60_000, second), 50)).toBe(true);
  });

  it('should sleep until the timeout when nothing was notified since the read', async () => {
    const signal = new WakeSignal();
    const seen = signal.seen;
    expect(await settle(signal.wait(60_000, seen), 50)).toBe(false);
    const started = performance.now();
    await signal.wait(30, signal.seen);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    signal.notify(); // the first wait's timer ends here, not 60 s on
  });
});
