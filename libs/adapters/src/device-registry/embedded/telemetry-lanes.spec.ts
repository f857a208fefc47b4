import { TelemetryLanes } from './telemetry-lanes.js';
import type { TelemetryPoint } from './telemetry-point.js';

const point = (deviceId: string, value: number): TelemetryPoint => ({
  deviceId,
  key: 'seq',
  value,
  ts: new Date(1000),
});
const options = { maxBatchSize: 100, maxDelayMs: 1, retryDelaysMs: [], lanes: 2 };
const devices = Array.from({ length: 16 }, (_, index) => `amr-${index}`);

interface Write {
  points: TelemetryPoint[];
  release: () => void;
}

/** A writer whose writes stay open until the test releases them, to see which run side by side. */
function setup() {
  const open: Write[] = [];
  const written: TelemetryPoint[][] = [];
  const sut = new TelemetryLanes(
    (points) =>
      new Promise<void>((resolve) =>
        open.push({
          points,
          release: () => {
            written.push(points);
            resolve();
          },
        }),
      ),
    () => undefined,
    options,
  );
  return { sut, open, written };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe(TelemetryLanes.name, () => {
  describe('enqueue', () => {
    it('should write the devices of different lanes side by side, each device in one lane only', async () => {
      const { sut, open } = setup();

      const stored = devices.map((deviceId, seq) => sut.enqueue([point(deviceId, seq)]));
      await settle();

      // Two lanes, each with one write in flight; sixteen devices spread over both.
      expect(open).toHaveLength(2);
      const [first, second] = open.map((write) => new Set(write.points.map((p) => p.deviceId)));
      expect(first.size + second.size).toBe(devices.length);
      for (const deviceId of first) expect(second.has(deviceId)).toBe(false);
      for (const write of open) write.release();
      await Promise.all(stored);
    });

    it("should commit a device's messages in arrival order, never two of its writes at once", async () => {
      const { sut, open, written } = setup();
      const [deviceId] = devices;

      const first = sut.enqueue([point(deviceId, 1)]);
      await settle();
      const second = sut.enqueue([point(deviceId, 2)]);
      await settle();

      // The second message waits for the first write, although the other lane is idle.
      expect(open).toHaveLength(1);
      open[0].release();
      await first;
      await settle();
      expect(open).toHaveLength(2);
      open[1].release();
      await second;
      expect(written.map((points) => points.map((p) => p.value))).toEqual([[1], [2]]);
    });

    it('should resolve a message only once its own write has committed', async () => {
      const { sut, open } = setup();
      let acknowledged = false;

      const stored = sut.enqueue([point(devices[0], 1)]).then(() => (acknowledged = true));
      await settle();

      expect(acknowledged).toBe(false);
      open[0].release();
      await stored;
      expect(acknowledged).toBe(true);
    });
  });

  describe('flush', () => {
    it('should wait for the writes of every lane', async () => {
      const { sut, open } = setup();
      devices.forEach((deviceId, seq) => void sut.enqueue([point(deviceId, seq)]));
      let flushed = false;

      const flushing = sut.flush().then(() => (flushed = true));
      await settle();
      open[0].release();
      await settle();

      expect(flushed).toBe(false);
      open[1].release();
      await flushing;
      expect(sut.stats).toEqual({ queuedMessages: 0, storedMessages: devices.length, writtenBatches: 2 });
    });
  });
});
