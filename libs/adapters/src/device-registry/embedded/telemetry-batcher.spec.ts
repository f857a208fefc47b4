import { jest } from '@jest/globals';
import { newestPerKey, TelemetryBatcher, TelemetryBatcherClosedError } from './telemetry-batcher.js';
import type { TelemetryPoint } from './telemetry-point.js';

const point = (key: string, value: number, ts = 1000, deviceId = 'd1'): TelemetryPoint => ({
  deviceId,
  key,
  value,
  ts: new Date(ts),
});
const options = { maxBatchSize: 4, maxDelayMs: 5, retryDelaysMs: [1, 1] };

function setup(write: (points: TelemetryPoint[]) => Promise<void> = async () => undefined) {
  const writes: TelemetryPoint[][] = [];
  const stored: TelemetryPoint[][][] = [];
  const sut = new TelemetryBatcher(
    async (points) => {
      writes.push(points);
      await write(points);
    },
    (messages) => stored.push([...messages]),
    options,
  );
  return { sut, writes, stored };
}

describe(TelemetryBatcher.name, () => {
  describe('enqueue', () => {
    it('should write the messages of one quiet period with one statement', async () => {
      const { sut, writes } = setup();

      await Promise.all([sut.enqueue([point('a', 1)]), sut.enqueue([point('b', 2)])]);

      expect(writes).toEqual([[point('a', 1), point('b', 2)]]);
    });

    it('should write at once, without waiting for the delay, when maxBatchSize points are queued', async () => {
      jest.useFakeTimers();
      try {
        const { sut, writes } = setup();
        const done = sut.enqueue([point('a', 1), point('b', 1), point('c', 1), point('d', 1)]);

        await jest.advanceTimersByTimeAsync(0);

        expect(writes).toHaveLength(1);
        await done;
      } finally {
        jest.useRealTimers();
      }
    });

    it('should run one write at a time and batch what arrives meanwhile', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { sut, writes } = setup(() => (writes.length === 1 ? gate : Promise.resolve()));
      const first = sut.enqueue([point('a', 1)]);
      await new Promise((resolve) => setTimeout(resolve, 20));

      const later = [sut.enqueue([point('b', 1)]), sut.enqueue([point('c', 1)])];
      release();
      await Promise.all([first, ...later]);

      expect(writes).toEqual([[point('a', 1)], [point('b', 1), point('c', 1)]]);
    });

    it('should keep whole messages together and split batches between them', async () => {
      const { sut, writes } = setup();

      await Promise.all([
        sut.enqueue([point('a', 1), point('b', 1), point('c', 1)]),
        sut.enqueue([point('d', 1), point('e', 1)]),
      ]);

      expect(writes.map((batch) => batch.length)).toEqual([3, 2]);
    });

    it('should retry a failed write and resolve once it succeeds', async () => {
      let failures = 2;
      const { sut, writes } = setup(async () => {
        if (failures-- > 0) throw new Error('connection reset');
      });

      await expect(sut.enqueue([point('a', 1)])).resolves.toBeUndefined();
      expect(writes).toHaveLength(3);
    });

    it('should reject (never drop silently) the messages of a write that keeps failing', async () => {
      const { sut, stored } = setup(async () => {
        throw new Error('database down');
      });

      await expect(sut.enqueue([point('a', 1)])).rejects.toThrow('database down');
      expect(stored).toEqual([]);
      expect(sut.stats).toMatchObject({ queuedMessages: 0, storedMessages: 0 });
    });

    it('should announce each message once it is committed', async () => {
      const { sut, stored } = setup();

      await Promise.all([sut.enqueue([point('a', 1)]), sut.enqueue([point('b', 2, 1000, 'd2')])]);

      expect(stored).toEqual([[[point('a', 1)], [point('b', 2, 1000, 'd2')]]]);
      expect(sut.stats).toEqual({ queuedMessages: 0, storedMessages: 2, writtenBatches: 1 });
    });
  });

  describe('close', () => {
    it('should write what is queued, then refuse new messages', async () => {
      jest.useFakeTimers();
      try {
        const { sut, writes } = setup();
        const queued = sut.enqueue([point('a', 1)]);

        await sut.close();

        await expect(queued).resolves.toBeUndefined();
        expect(writes).toHaveLength(1);
        await expect(sut.enqueue([point('b', 1)])).rejects.toBeInstanceOf(TelemetryBatcherClosedError);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});

describe(newestPerKey.name, () => {
  it('should keep the newest point per (device, key), the later arrival on equal timestamps', () => {
    const points = [point('a', 1, 2000), point('a', 2, 1000), point('b', 3), point('b', 4), point('a', 5, 2000, 'd2')];

    expect(newestPerKey(points)).toEqual([point('a', 1, 2000), point('b', 4), point('a', 5, 2000, 'd2')]);
  });
});
