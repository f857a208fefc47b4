import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  openTestDatabase,
  POSTGRES_AVAILABLE,
  realServer,
  startPrivateKafka,
  waitFor,
  type PrivateKafka,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { createEffectsTable, effectsOf, RecordingConsumer } from '../../../test/effects-table.js';
import { EventApplier } from '../consumers/event-applier.js';
import { eventsConfigSchema, type EventsConfig } from '../events.config.js';
import { OutboxWriter } from '../outbox/outbox.writer.js';
import { KafkaTransport } from './kafka.transport.js';

// The shared broker being configured means this machine can run Kafka (java, mvn, packages);
// these suites start brokers and consumers of their own so they can kill and restart them.
const kafkaAvailable = realServer(['KAFKA_BROKERS'], 'Kafka broker') !== null;
const describeWithKafka = kafkaAvailable && POSTGRES_AVAILABLE ? describe : describe.skip;
const DEVICES = ['dev-a', 'dev-b', 'dev-c', 'dev-d'];
const CONSUMER = 'resilience.suspensions';

describeWithKafka('Kafka event bus under failures (real broker, real PostgreSQL)', () => {
  const writer = new OutboxWriter();
  const transports: KafkaTransport[] = [];
  let broker: PrivateKafka;
  let producerDb: TestDatabase;
  let consumerDb: TestDatabase;

  const config = (overrides: Record<string, string>): EventsConfig =>
    eventsConfigSchema.parse({
      KAFKA_BROKERS: broker.brokers,
      EVENTS_POLL_INTERVAL_MS: '100',
      EVENTS_RETRY_BASE_MS: '5',
      ...overrides,
    });

  async function start(db: TestDatabase, settings: EventsConfig, consuming: boolean): Promise<KafkaTransport> {
    const transport = new KafkaTransport(db.connection, db.prisma, new EventApplier(), settings);
    await transport.start(
      consuming
        ? [{ name: CONSUMER, events: new Set(['device.suspended'] as const), handler: new RecordingConsumer(CONSUMER) }]
        : [],
    );
    transports.push(transport);
    return transport;
  }

  /** Commits `rounds` transactions of one suspension per device; returns the ids per device. */
  async function write(
    rounds: number,
    perDevice: Map<string, string[]>,
    pauseMs = 0,
    between?: (round: number) => Promise<void>,
  ) {
    for (let round = 0; round < rounds; round++) {
      await between?.(round);
      await producerDb.prisma.$transaction(async (tx) => {
        for (const deviceId of DEVICES) {
          const event = await writer.append(
            tx,
            'device.suspended',
            { deviceId, reason: `round ${round}` },
            { accountId: 'acc', deviceId },
          );
          perDevice.set(deviceId, [...(perDevice.get(deviceId) ?? []), event.id]);
        }
      });
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  async function expectExactlyOnceInOrder(db: TestDatabase, perDevice: Map<string, string[]>) {
    const expected = [...perDevice.values()].flat();
    await waitFor(async () => (await effectsOf(db.connection.sql, CONSUMER)).length >= expected.length, 90_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const applied = await effectsOf(db.connection.sql, CONSUMER);
    expect(applied).toHaveLength(expected.length);
    expect(new Set(applied)).toEqual(new Set(expected));
    for (const ids of perDevice.values()) expect(applied.filter((id) => ids.includes(id))).toEqual(ids);
  }

  beforeAll(async () => {
    broker = await startPrivateKafka();
  }, 120_000);
  beforeEach(async () => {
    [producerDb, consumerDb] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('postgres')]);
    await createEffectsTable(consumerDb.connection.sql);
  });
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.stop().catch(() => undefined);
    await Promise.all([producerDb.close(), consumerDb.close()]);
  });
  afterAll(() => broker?.destroy());

  it('should deliver every event exactly once, in per-device order, when the broker stops and restarts while events are written', async () => {
    const run = randomBytes(4).toString('hex');
    await start(producerDb, config({ KAFKA_TOPIC_PREFIX: `r-${run}.`, KAFKA_GROUP_ID: `pub-${run}` }), false);
    await start(
      consumerDb,
      config({ KAFKA_TOPIC_PREFIX: `r-${run}.`, KAFKA_GROUP_ID: `svc-${run}`, EVENTS_PUBLISH: 'false' }),
      true,
    );
    const perDevice = new Map<string, string[]>();
    await write(30, perDevice, 50, async (round) => {
      if (round === 8) await broker.stop();
      if (round === 20) await broker.start();
    });
    await expectExactlyOnceInOrder(consumerDb, perDevice);
  }, 180_000);

  it('should apply every event exactly once when the consumer process is killed mid-batch and restarted', async () => {
    const run = randomBytes(4).toString('hex');
    const prefix = `k-${run}.`;
    await start(producerDb, config({ KAFKA_TOPIC_PREFIX: prefix, KAFKA_GROUP_ID: `pub-${run}` }), false);
    const perDevice = new Map<string, string[]>();
    await write(100, perDevice);
    const spawnWorker = (): ChildProcess =>
      spawn(
        process.execPath,
        [
          '--import',
          '@swc-node/register/esm-register',
          'libs/events/test/kafka-consumer-worker.ts',
          consumerDb.config.DATABASE_URL!,
          broker.brokers,
          prefix,
          `svc-${run}`,
          CONSUMER,
        ],
        { cwd: process.cwd(), stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } },
      );
    const applied = async () => (await effectsOf(consumerDb.connection.sql, CONSUMER)).length;
    for (const killAt of [60, 200]) {
      const worker = spawnWorker();
      await waitFor(async () => (await applied()) >= killAt, 90_000, 5);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    expect(await applied()).toBeLessThan(400);
    const last = spawnWorker();
    try {
      await expectExactlyOnceInOrder(consumerDb, perDevice);
    } finally {
      last.kill('SIGTERM');
    }
  }, 240_000);

  it('should publish nothing from a rolled-back transaction', async () => {
    const run = randomBytes(4).toString('hex');
    await start(producerDb, config({ KAFKA_TOPIC_PREFIX: `rb-${run}.`, KAFKA_GROUP_ID: `pub-${run}` }), false);
    await start(
      consumerDb,
      config({ KAFKA_TOPIC_PREFIX: `rb-${run}.`, KAFKA_GROUP_ID: `svc-${run}`, EVENTS_PUBLISH: 'false' }),
      true,
    );
    await expect(
      producerDb.prisma.$transaction(async (tx) => {
        await writer.append(
          tx,
          'device.suspended',
          { deviceId: 'ghost', reason: null },
          { accountId: 'acc', deviceId: 'ghost' },
        );
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const committed = new Map<string, string[]>();
    await write(1, committed);
    await expectExactlyOnceInOrder(consumerDb, committed);
  }, 120_000);
});
