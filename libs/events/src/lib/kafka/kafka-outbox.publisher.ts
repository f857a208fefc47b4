import { Logger } from '@nestjs/common';
import type { PrismaService, SqlSession } from '@flexgalaxy/db';
import type kafkajs from 'kafkajs';
import { errorMessage } from '../consumers/retry.js';
import { readOutboxAfter, toEnvelopeJson, type OutboxRow, type StreamPosition } from '../outbox/outbox.reader.js';
import { offsetStore } from '../relay/offset-store.js';
import type { WakeSignal } from '../relay/wake-signal.js';

/** The publisher's own offset in the outbox stream. */
export const KAFKA_PUBLISHER = '__kafka_publisher';

/**
 * Relays committed outbox rows to Kafka: one topic per event type, keyed by device id (one
 * device's events stay ordered in one partition), idempotent producer. The offset advances only
 * after the broker acknowledged the batch, under a row lock so two replicas never interleave.
 * A crash between ack and offset write re-sends the batch: consumers drop repeats by event id.
 */
export class KafkaOutboxPublisher {
  private readonly logger = new Logger('events');
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly producer: kafkajs.Producer,
    private readonly prisma: PrismaService,
    private readonly sql: SqlSession,
    private readonly wake: WakeSignal,
    private readonly topicOf: (type: string) => string,
    private readonly settings: { batchSize: number; pollIntervalMs: number },
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const seen = this.wake.seen;
        const position = await offsetStore.load(this.sql, KAFKA_PUBLISHER);
        const rows = await readOutboxAfter(this.sql, position, this.settings.batchSize);
        if (rows.length === 0) {
          await this.wake.wait(this.settings.pollIntervalMs, seen);
          continue;
        }
        await this.publish(position, rows);
      } catch (error) {
        this.logger.error({ err: errorMessage(error) }, 'outbox publish failed, retrying');
        await this.wake.wait(this.settings.pollIntervalMs);
      }
    }
  }

  private async publish(from: StreamPosition, rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, kafkajs.Message[]>();
    for (const row of rows) {
      const topic = this.topicOf(row.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: row.deviceId ?? row.accountId,
        value: JSON.stringify(toEnvelopeJson(row)),
        headers: { 'event-id': row.id, 'event-type': row.type },
      });
      byTopic.set(topic, messages);
    }
    await this.prisma.$transaction(
      async (tx) => {
        if (!(await offsetStore.lockAt(tx, KAFKA_PUBLISHER, from))) return;
        await this.producer.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        await offsetStore.advance(tx, KAFKA_PUBLISHER, rows[rows.length - 1]!.position);
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }
}
