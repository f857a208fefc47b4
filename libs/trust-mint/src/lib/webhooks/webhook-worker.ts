import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { DeliveriesRepository, type AttemptRecord } from './deliveries.repository.js';
import { nextAttemptDelay, retryAfterMs } from './domain/retry-schedule.js';
import type { ClaimedDelivery } from './domain/webhook.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { WebhookSender, type SendResult } from './webhook-sender.js';

/** Longest a receiver may defer us with Retry-After before the schedule's own delay applies. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** A lease outlives the attempt's timeout by this much, so a live worker never loses its row. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends webhook deliveries: leases due rows (SKIP-LOCKED-safe, so several processes can run it),
 * sends each with a per-attempt timeout, never more than TRUST_MINT_WEBHOOK_CONCURRENCY at once
 * nor more than TRUST_MINT_WEBHOOK_PER_SUBSCRIBER_CONCURRENCY per subscriber, and records every
 * attempt. Failures retry on the configured schedule with jitter; the last failure dead-letters.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('trust-mint.webhooks');
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perSubscriber = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private stopped = true;

  constructor(
    @Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(SubscribersRepository) private readonly subscribers: SubscribersRepository,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.TRUST_MINT_WEBHOOK_WORKER) return;
    this.stopped = false;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // In-flight attempts end within their timeout; their rows are recorded, not left leased.
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    // One pending timer at most: a tick started early (a slot freed) replaces the scheduled one.
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  /** One polling round: fill the free slots with due deliveries. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const free = this.config.TRUST_MINT_WEBHOOK_CONCURRENCY - this.inFlight.size;
      const perSubscriber = this.config.TRUST_MINT_WEBHOOK_PER_SUBSCRIBER_CONCURRENCY;
      const claimed = await this.deliveries.claimDue(
        free,
        (subscriberId) => perSubscriber - (this.perSubscriber.get(subscriberId) ?? 0),
        this.config.TRUST_MINT_WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
      );
      for (const delivery of claimed) this.start(delivery);
    } catch (error) {
      if (!this.stopped) this.logger.warn({ err: error }, 'webhook claim failed; retrying at the next poll');
    } finally {
      this.ticking = false;
      this.schedule(this.config.TRUST_MINT_WEBHOOK_POLL_INTERVAL_MS);
    }
  }

  private start(delivery: ClaimedDelivery): void {
    this.perSubscriber.set(delivery.subscriberId, (this.perSubscriber.get(delivery.subscriberId) ?? 0) + 1);
    const work = this.attempt(delivery)
      .catch((error: unknown) => this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt failed'))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        const left = (this.perSubscriber.get(delivery.subscriberId) ?? 1) - 1;
        if (left > 0) this.perSubscriber.set(delivery.subscriberId, left);
        else this.perSubscriber.delete(delivery.subscriberId);
        // A freed slot is filled at once rather than at the next poll.
        if (!this.stopped) void this.tick();
      });
    this.inFlight.set(delivery.id, work);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    if (!delivery.subscriberActive) {
      await this.deliveries.markDeadUnsent(delivery.id, 'subscriber disabled or deleted');
      return;
    }
    const startedAt = new Date();
    const result = await this.sender.send(delivery);
    if (result.statusCode === 410) {
      // Standard Webhooks: 410 Gone asks us to stop calling this endpoint.
      await this.subscribers.disable(delivery.subscriberId, 'endpoint answered 410 Gone');
    }
    await this.deliveries.recordAttempt({
      deliveryId: delivery.id,
      startedAt,
      latencyMs: result.latencyMs,
      statusCode: result.statusCode,
      outcome: result.outcome,
      error: result.error,
      manual: delivery.roundAttempts === 0 && delivery.attempts > 0,
      next: this.nextState(delivery, result),
    });
  }

  private nextState(delivery: ClaimedDelivery, result: SendResult): AttemptRecord['next'] {
    if (result.outcome === 'succeeded') return { status: 'SUCCEEDED' };
    if (result.statusCode === 410) return { status: 'DEAD' };
    const delay = nextAttemptDelay(
      this.config.TRUST_MINT_WEBHOOK_RETRY_SCHEDULE,
      delivery.roundAttempts + 1,
      this.config.TRUST_MINT_WEBHOOK_RETRY_JITTER,
    );
    if (delay === null) return { status: 'DEAD' };
    const asked = retryAfterMs(result.retryAfter, new Date());
    const wait = asked !== null && asked > delay ? Math.min(asked, MAX_RETRY_AFTER_MS) : delay;
    return { status: 'PENDING', at: new Date(Date.now() + wait) };
  }
}
