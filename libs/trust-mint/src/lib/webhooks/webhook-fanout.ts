import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { DeliveriesRepository } from './deliveries.repository.js';
import type { WebhookEventType } from './domain/webhook-events.js';
import { SubscribersRepository } from './subscribers.repository.js';

export interface WebhookNotice {
  accountId: string;
  eventType: WebhookEventType;
  /** Stable per occurrence, so a replayed event enqueues nothing new. */
  eventId: string;
  data: Record<string, unknown>;
}

/**
 * Turns an occurrence into one delivery row per subscriber, inside the transaction that caused
 * it: the delivery exists if and only if the change committed, and no HTTP call ever runs in
 * that transaction (the worker sends). A slow partner therefore never slows issuance.
 */
@Injectable()
export class WebhookFanout {
  constructor(
    @Inject(SubscribersRepository) private readonly subscribers: SubscribersRepository,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
  ) {}

  async enqueue(tx: Tx, notice: WebhookNotice): Promise<number> {
    const subscribers = await this.subscribers.findActiveFor(tx, notice.accountId, notice.eventType);
    const timestamp = new Date().toISOString();
    return this.deliveries.enqueue(
      tx,
      subscribers.map((subscriber) => ({
        subscriberId: subscriber.id,
        accountId: notice.accountId,
        eventType: notice.eventType,
        eventId: notice.eventId,
        payload: { type: notice.eventType, timestamp, data: notice.data },
      })),
    );
  }

  /** Whether the account has a partner listening for this event type (seed 001 delegation). */
  async hasSubscriber(tx: Tx, accountId: string, eventType: WebhookEventType): Promise<boolean> {
    return (await this.subscribers.findActiveFor(tx, accountId, eventType)).length > 0;
  }
}
