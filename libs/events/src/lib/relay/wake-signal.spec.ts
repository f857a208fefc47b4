import { WakeSignal } from './wake-signal.js';

describe(WakeSignal.name, () => {
  async function woken(wait: Promise<void>, withinMs: number): Promise<boolean> {
    return Promise.race([wait.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), withinMs))]);
  }

  it('should wake a loop waiting for some types only when one of them is named', async () => {
    const signal = new WakeSignal();
    const devices = signal.wait(5_000, new Set(['device.provisioned']));

    signal.notify(['ota.action.created']);
    expect(await woken(devices, 50)).toBe(false);
    signal.notify(['ota.action.created', 'device.provisioned']);
    expect(await woken(devices, 50)).toBe(true);
  });

  it('should wake every loop when no type is named, and a loop waiting for any type on every notify', async () => {
    const signal = new WakeSignal();
    const typed = signal.wait(5_000, new Set(['device.provisioned']));
    const any = signal.wait(5_000);

    signal.notify(['ota.action.created']);
    expect(await woken(any, 50)).toBe(true);
    signal.notify();
    expect(await woken(typed, 50)).toBe(true);
  });

  it('should end the wait when the timeout passes', async () => {
    expect(await woken(new WakeSignal().wait(10, new Set(['x'])), 500)).toBe(true);
  });
});
