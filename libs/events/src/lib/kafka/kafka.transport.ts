import { Logger } from '@nestjs/common';
import { eventTypes } from '@flexgalaxy/contracts';
import type { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import type kafkajs from 'kafkajs';
import { handles, type ConsumerRegistration } from '../consumers/consumer-registration.js';
import type { EventApplier } from '../consumers/event-applier.js';
import { applyInGroups, GROUP_SIZE, withRetries, type FailedAttempts } from '../consumers/grouped-apply.js';
import { backoffDelay, errorMessage } from '../consumers/retry.js';
import type { EventsConfig } from '../events.config.js';
import type { EventTransport } from '../event-transport.port.js';
import { OUTBOX_CHANNEL } from '../relay/in-process.transport.js';
import { WakeSignal } from '../relay/wake-signal.js';
import { createKafka } from './kafka-client.js';
import { KafkaOutboxPublisher } from './kafka-outbox.publisher.js';

/**
 * The distributed event bus: this process publishes its outbox to Kafka and consumes the topics
 * its consumers handle with its own consumer group. Delivery is at-least-once; every consumer
 * records applied event ids in the same transaction as its effect, so effects happen once.
 */
export class KafkaTransport implements EventTransport {
  private readonly logger = new Logger('events');
  private readonly kafka: kafkajs.Kafka;
  private readonly wake = new WakeSignal();
  private producer: kafkajs.Producer | null = null;
  private consumer: kafkajs.Consumer | null = null;
  private publisher: KafkaOutboxPublisher | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly prisma: PrismaService,
    private readonly applier: EventApplier,
    private readonly config: EventsConfig,
  ) {
    this.kafka = createKafka(config);
  }

  async start(consumers: ConsumerRegistration[]): Promise<void> {
    await this.ensureTopics();
    if (this.config.EVENTS_PUBLISH) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await this.producer.connect();
      this.unlisten = await this.connection.sql.listen(OUTBOX_CHANNEL, () => this.wake.notify());
      this.publisher = new KafkaOutboxPublisher(
        this.producer,
        this.prisma,
        this.connection.sql,
        this.wake,
        (type) => this.topicOf(type),
        {
          batchSize: this.config.EVENTS_BATCH_SIZE,
          pollIntervalMs: this.config.EVENTS_POLL_INTERVAL_MS,
        },
      );
      this.publisher.start();
    }
    const types = [...new Set(consumers.flatMap((registration) => [...registration.events]))];
    const topics = types.map((type) => this.topicOf(type));
    if (topics.length > 0) await this.startConsumer(consumers, topics);
    this.logger.log({ groupId: this.config.KAFKA_GROUP_ID, topics }, 'kafka event transport started');
  }

  async stop(): Promise<void> {
    await this.publisher?.stop();
    await this.unlisten?.();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.publisher = null;
    this.consumer = null;
    this.producer = null;
    this.unlisten = null;
  }

  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = eventTypes.map((type) => this.topicOf(type)).filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: this.config.KAFKA_TOPIC_PARTITIONS })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async startConsumer(consumers: ConsumerRegistration[], topics: string[]): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: this.config.KAFKA_GROUP_ID, allowAutoTopicCreation: false });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      // One partition's fetched messages at a time, applied in groups: a burst is a commit per
      // group, not per message. Offsets are resolved as the groups land, so a crash replays
      // at most the unresolved rest, which the processed-event ids make harmless.
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const type = batch.topic.slice(this.config.KAFKA_TOPIC_PREFIX.length);
        const live = () => isRunning() && !isStale();
        // A fetched batch can hold thousands of messages: slice by slice, resolving and heartbeating
        // as each lands, so a long batch neither loses the group membership nor replays much.
        for (let from = 0; from < batch.messages.length && live(); from += GROUP_SIZE) {
          const slice = batch.messages
            .slice(from, from + GROUP_SIZE)
            .map((message) => ({ offset: message.offset, raw: this.decode(message.value) }));
          for (const registration of consumers) {
            if (!handles(registration, type)) continue;
            await applyInGroups(slice, {
              inTransaction: (_, work) => this.prisma.$transaction(work, { timeout: 60_000 }),
              applyOne: (tx, message) => this.applier.apply(tx, registration, message.raw),
              applyWithRetry: (message, failed) => this.applyWithRetry(registration, message.raw, failed),
              running: live,
            });
            if (!live()) return;
          }
          resolveOffset(slice[slice.length - 1]!.offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      },
    });
  }

  private topicOf(type: string): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}${type}`;
  }

  private decode(value: Buffer | null): unknown {
    try {
      return value ? (JSON.parse(value.toString('utf8')) as unknown) : null;
    } catch {
      return { unparseable: value?.toString('base64') ?? null };
    }
  }

  private applyWithRetry(registration: ConsumerRegistration, raw: unknown, failed?: FailedAttempts): Promise<void> {
    const policy = { maxAttempts: this.config.EVENTS_MAX_ATTEMPTS, baseDelayMs: this.config.EVENTS_RETRY_BASE_MS };
    return withRetries(
      policy.maxAttempts,
      async () => {
        await this.prisma.$transaction((tx) => this.applier.apply(tx, registration, raw), { timeout: 60_000 });
      },
      (error, attempts) =>
        this.prisma.$transaction((tx) => this.applier.deadLetter(tx, registration, raw, errorMessage(error), attempts)),
      ({ attempts }) => new Promise((resolve) => setTimeout(resolve, backoffDelay(policy, attempts))),
      failed,
    );
  }
}
