import { Logger } from '@nestjs/common';
import type { PrismaService, SqlSession, Tx } from '@flexgalaxy/db';
import { handles, type ConsumerRegistration } from '../consumers/consumer-registration.js';
import type { EventApplier } from '../consumers/event-applier.js';
import { applyInGroups, withRetries, type FailedAttempts } from '../consumers/grouped-apply.js';
import { backoffDelay, errorMessage, type RetryPolicy } from '../consumers/retry.js';
import { readOutboxAfter, toEnvelopeJson, type OutboxRow, type StreamPosition } from '../outbox/outbox.reader.js';
import { offsetStore } from './offset-store.js';
import type { WakeSignal } from './wake-signal.js';

export interface RunnerSettings extends RetryPolicy {
  batchSize: number;
  pollIntervalMs: number;
}

/** Another replica moved the offset: re-read it and carry on from there. */
class OffsetMovedError extends Error {}

/**
 * Feeds one consumer from the outbox. Events are applied in the same transaction as the move of
 * the consumer's offset past them, so a crash at any point neither loses nor repeats an effect.
 */
export class ConsumerRunner {
  private readonly logger = new Logger('events');
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly registration: ConsumerRegistration,
    private readonly prisma: PrismaService,
    private readonly sql: SqlSession,
    private readonly applier: EventApplier,
    private readonly wake: WakeSignal,
    private readonly settings: RunnerSettings,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    let position: StreamPosition | null = null;
    while (this.running) {
      try {
        position ??= await offsetStore.load(this.sql, this.registration.name);
        const rows = await readOutboxAfter(this.sql, position, this.settings.batchSize);
        if (rows.length === 0) {
          await this.wake.wait(this.settings.pollIntervalMs);
          continue;
        }
        position = await this.processBatch(position, rows);
      } catch (error) {
        if (!(error instanceof OffsetMovedError)) {
          this.logger.error({ consumer: this.registration.name, err: errorMessage(error) }, 'relay loop failed');
          await this.wake.wait(this.settings.pollIntervalMs);
        }
        position = null;
      }
    }
  }

  private async processBatch(start: StreamPosition, rows: OutboxRow[]): Promise<StreamPosition> {
    let position = start;
    const advanceTo = (to: StreamPosition) => {
      position = to;
    };
    await applyInGroups(
      rows.filter((row) => handles(this.registration, row.type)),
      {
        inTransaction: async (group, work) => {
          const end = group[group.length - 1]!.position;
          await this.inOffsetTransaction(position, end, work);
          advanceTo(end);
        },
        applyOne: (tx, row) => this.applier.apply(tx, this.registration, toEnvelopeJson(row)),
        applyWithRetry: async (row, failed) => {
          await this.applyWithRetry(position, row, failed);
          advanceTo(row.position);
        },
        ends: (error) => error instanceof OffsetMovedError,
        running: () => this.running,
      },
    );
    if (!this.running) return position;
    // Rows of types this consumer ignores: skip over them with one offset write.
    const last = rows[rows.length - 1]!.position;
    if (last !== position) {
      await this.inOffsetTransaction(position, last, async () => undefined);
      position = last;
    }
    return position;
  }

  private applyWithRetry(position: StreamPosition, row: OutboxRow, failed?: FailedAttempts): Promise<void> {
    const envelope = toEnvelopeJson(row);
    return withRetries(
      this.settings.maxAttempts,
      () =>
        this.inOffsetTransaction(position, row.position, (tx) => this.applier.apply(tx, this.registration, envelope)),
      (error, attempts) =>
        this.inOffsetTransaction(position, row.position, (tx) =>
          this.applier.deadLetter(tx, this.registration, envelope, errorMessage(error), attempts),
        ),
      async ({ attempts, error }) => {
        this.logger.warn(
          { consumer: this.registration.name, eventId: row.id, attempt: attempts, err: errorMessage(error) },
          'event handler failed, retrying',
        );
        await this.wait(backoffDelay(this.settings, attempts));
        if (!this.running) throw new OffsetMovedError('stopping');
      },
      failed,
      (error) => error instanceof OffsetMovedError,
    );
  }

  private async inOffsetTransaction(
    from: StreamPosition,
    to: StreamPosition,
    work: (tx: Tx) => Promise<unknown>,
  ): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        if (!(await offsetStore.lockAt(tx, this.registration.name, from))) throw new OffsetMovedError();
        await work(tx);
        await offsetStore.advance(tx, this.registration.name, to);
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
