import { Logger } from '@nestjs/common';
import type { PrismaService, SqlSession, Tx } from '@flexgalaxy/db';
import { handles, type ConsumerRegistration } from '../consumers/consumer-registration.js';
import type { EventApplier } from '../consumers/event-applier.js';
import { applyInGroups, withRetries, type FailedAttempts } from '../consumers/grouped-apply.js';
import { backoffDelay, errorMessage, type RetryPolicy } from '../consumers/retry.js';
import { toEnvelopeJson, type OutboxRow, type StreamPosition } from '../outbox/outbox.reader.js';
import { offsetStore } from './offset-store.js';
import type { SharedOutboxReads } from './shared-outbox-reads.js';
import type { WakeSignal } from './wake-signal.js';

export interface RunnerSettings extends RetryPolicy {
  batchSize: number;
  pollIntervalMs: number;
}

/** Another replica moved the offset: re-read it and carry on from there. */
class OffsetMovedError extends Error {}

/**
 * How long the offset may stay behind rows this consumer only skipped. Recording every skip would
 * cost each consumer a write per event of any type (a dozen consumers: a dozen writes per event);
 * after a crash the unrecorded stretch is read again and skipped again, which changes nothing.
 */
const SKIPS_RECORDED_EVERY_MS = 1000;

/**
 * Feeds one consumer from the outbox. Events are applied in the same transaction as the move of
 * the consumer's offset past them, so a crash at any point neither loses nor repeats an effect.
 */
export class ConsumerRunner {
  private readonly logger = new Logger('events');
  private running = false;
  private loop: Promise<void> | null = null;
  /** The offset as stored (every move checks it is still there); the read position may be ahead. */
  private stored: StreamPosition | null = null;
  private storedAt = 0;

  constructor(
    private readonly registration: ConsumerRegistration,
    private readonly prisma: PrismaService,
    private readonly sql: SqlSession,
    private readonly reads: SharedOutboxReads,
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
        if (!position) {
          position = await offsetStore.load(this.sql, this.registration.name);
          this.stored = position;
        }
        const seen = this.wake.seen;
        const rows = await this.reads.read(position, this.settings.batchSize);
        if (rows.length === 0) {
          await this.recordSkipped(position);
          await this.wake.wait(this.settings.pollIntervalMs, seen);
          continue;
        }
        position = await this.processBatch(position, rows);
        await this.recordSkipped(position);
      } catch (error) {
        if (!(error instanceof OffsetMovedError)) {
          this.logger.error({ consumer: this.registration.name, err: errorMessage(error) }, 'relay loop failed');
          await this.wake.wait(this.settings.pollIntervalMs);
        }
        position = null;
      }
    }
    if (position) await this.recordSkipped(position, { now: true }).catch(() => undefined);
  }

  private async processBatch(start: StreamPosition, rows: readonly OutboxRow[]): Promise<StreamPosition> {
    let position = start;
    await applyInGroups(
      rows.filter((row) => handles(this.registration, row.type)),
      {
        inTransaction: async (group, work) => {
          const end = group[group.length - 1]!.position;
          await this.inOffsetTransaction(end, work);
          position = end;
        },
        applyOne: (tx, row) => this.applier.apply(tx, this.registration, toEnvelopeJson(row)),
        applyWithRetry: async (row, failed) => {
          await this.applyWithRetry(row, failed);
          position = row.position;
        },
        ends: (error) => error instanceof OffsetMovedError,
        running: () => this.running,
      },
    );
    // Rows of types this consumer ignores: passed over, recorded later (recordSkipped).
    return this.running ? rows[rows.length - 1]!.position : position;
  }

  /** Stores the read position if it is ahead of the stored offset and the last write is old enough. */
  private async recordSkipped(position: StreamPosition, options: { now?: boolean } = {}): Promise<void> {
    const stored = this.stored;
    if (!stored || (stored.txId === position.txId && stored.seq === position.seq)) return;
    if (!options.now && Date.now() - this.storedAt < SKIPS_RECORDED_EVERY_MS) return;
    if (!(await offsetStore.moveIfAt(this.sql, this.registration.name, stored, position))) throw new OffsetMovedError();
    this.stored = position;
    this.storedAt = Date.now();
  }

  private applyWithRetry(row: OutboxRow, failed?: FailedAttempts): Promise<void> {
    const envelope = toEnvelopeJson(row);
    return withRetries(
      this.settings.maxAttempts,
      () => this.inOffsetTransaction(row.position, (tx) => this.applier.apply(tx, this.registration, envelope)),
      (error, attempts) =>
        this.inOffsetTransaction(row.position, (tx) =>
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

  /** Runs `work` and moves the stored offset to `to` in one transaction. */
  private async inOffsetTransaction(to: StreamPosition, work: (tx: Tx) => Promise<unknown>): Promise<void> {
    const from = this.stored;
    if (!from) throw new OffsetMovedError();
    await this.prisma.$transaction(
      async (tx) => {
        if (!(await offsetStore.lockAt(tx, this.registration.name, from))) throw new OffsetMovedError();
        await work(tx);
        await offsetStore.advance(tx, this.registration.name, to);
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    this.stored = to;
    this.storedAt = Date.now();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
