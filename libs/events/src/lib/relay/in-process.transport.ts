import { Logger } from '@nestjs/common';
import type { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import type { ConsumerRegistration } from '../consumers/consumer-registration.js';
import type { EventApplier } from '../consumers/event-applier.js';
import type { EventsConfig } from '../events.config.js';
import type { EventTransport } from '../event-transport.port.js';
import { ConsumerRunner } from './consumer-runner.js';
import { SharedOutboxReads } from './shared-outbox-reads.js';
import { WakeSignal } from './wake-signal.js';

export const OUTBOX_CHANNEL = 'events_outbox';

/**
 * The embedded event bus: the outbox relayed straight to this process' consumers, each with its
 * own durable offset, woken by LISTEN/NOTIFY (PostgreSQL and PGlite both deliver it) and by a
 * fallback poll.
 */
export class InProcessTransport implements EventTransport {
  private readonly logger = new Logger('events');
  private readonly wake = new WakeSignal();
  private runners: ConsumerRunner[] = [];
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly prisma: PrismaService,
    private readonly applier: EventApplier,
    private readonly config: EventsConfig,
  ) {}

  async start(consumers: ConsumerRegistration[]): Promise<void> {
    this.unlisten = await this.connection.sql.listen(OUTBOX_CHANNEL, () => this.wake.notify());
    const reads = new SharedOutboxReads(this.connection.sql, this.wake);
    this.runners = consumers.map(
      (registration) =>
        new ConsumerRunner(registration, this.prisma, this.connection.sql, reads, this.applier, this.wake, {
          batchSize: this.config.EVENTS_BATCH_SIZE,
          pollIntervalMs: this.config.EVENTS_POLL_INTERVAL_MS,
          maxAttempts: this.config.EVENTS_MAX_ATTEMPTS,
          baseDelayMs: this.config.EVENTS_RETRY_BASE_MS,
        }),
    );
    for (const runner of this.runners) runner.start();
    this.logger.log({ consumers: consumers.map((c) => c.name) }, 'in-process event relay started');
  }

  /** Nudges the relay right after a local commit (saves the NOTIFY round trip). */
  nudge(): void {
    this.wake.notify();
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners = [];
    await this.unlisten?.();
    this.unlisten = null;
  }
}
