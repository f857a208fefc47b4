import { Inject, Injectable } from '@nestjs/common';
import { holdsAny, type Entitlement } from '../core/entitlement.js';
import type { Page, PageRequest } from '@flexgalaxy/service-kit';
import { DeliveriesRepository, type DeliveryFilter } from './deliveries.repository.js';
import { newWebhookSecret } from './domain/signature.js';
import { WEBHOOK_EVENT_PERMISSIONS, type WebhookEventType } from './domain/webhook-events.js';
import type { WebhookAttempt, WebhookDelivery, WebhookSubscriber } from './domain/webhook.js';
import { SubscribersRepository, type SubscriberScope } from './subscribers.repository.js';
import {
  WebhookDeliveryInFlightError,
  WebhookDeliveryNotFoundError,
  WebhookEventNotPermittedError,
  WebhookSubscriberNotFoundError,
} from './webhooks.errors.js';

export interface SubscriberInput {
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
}

function scopeOf(entitlement: Entitlement): SubscriberScope {
  return entitlement.kind === 'admin'
    ? { kind: 'all' }
    : { kind: 'account', accountId: entitlement.principal.accountId };
}

/** Subscribers per account and event type, and their delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(SubscribersRepository) private readonly subscribers: SubscribersRepository,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
  ) {}

  /** Registers an endpoint for the caller's account; the secret is returned this once. */
  async create(
    entitlement: Entitlement,
    input: SubscriberInput,
  ): Promise<{ subscriber: WebhookSubscriber; secret: string }> {
    this.requirePermittedEvents(entitlement, input.eventTypes);
    const secret = newWebhookSecret();
    const subscriber = await this.subscribers.create({
      accountId: entitlement.principal.accountId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description,
      secret,
    });
    return { subscriber, secret };
  }

  list(entitlement: Entitlement, accountId?: string): Promise<WebhookSubscriber[]> {
    return this.subscribers.listVisible(scopeOf(entitlement), entitlement.kind === 'admin' ? accountId : undefined);
  }

  async get(entitlement: Entitlement, id: string): Promise<WebhookSubscriber> {
    const subscriber = await this.subscribers.findVisible(scopeOf(entitlement), id);
    if (!subscriber) throw new WebhookSubscriberNotFoundError(id);
    return subscriber;
  }

  async update(
    entitlement: Entitlement,
    id: string,
    changes: Partial<SubscriberInput> & { enabled?: boolean },
  ): Promise<WebhookSubscriber> {
    const current = await this.get(entitlement, id);
    this.requirePermittedEvents(entitlement, (changes.eventTypes ?? current.eventTypes) as WebhookEventType[]);
    const updated = await this.subscribers.update(scopeOf(entitlement), id, {
      ...changes,
      ...(changes.eventTypes ? { eventTypes: [...new Set(changes.eventTypes)] } : {}),
    });
    if (!updated) throw new WebhookSubscriberNotFoundError(id);
    return updated;
  }

  async delete(entitlement: Entitlement, id: string): Promise<void> {
    const current = await this.get(entitlement, id);
    this.requirePermittedEvents(entitlement, current.eventTypes as WebhookEventType[]);
    if (!(await this.subscribers.delete(scopeOf(entitlement), id))) throw new WebhookSubscriberNotFoundError(id);
  }

  listDeliveries(entitlement: Entitlement, filter: DeliveryFilter, page: PageRequest): Promise<Page<WebhookDelivery>> {
    return this.deliveries.listVisible(scopeOf(entitlement), filter, page);
  }

  async getDelivery(entitlement: Entitlement, id: string): Promise<WebhookDelivery & { attemptLog: WebhookAttempt[] }> {
    const delivery = await this.deliveries.findVisible(scopeOf(entitlement), id);
    if (!delivery) throw new WebhookDeliveryNotFoundError(id);
    return delivery;
  }

  /** Queues the delivery again now (e.g. a dead letter once the partner's endpoint is fixed). */
  async redeliver(entitlement: Entitlement, id: string): Promise<WebhookDelivery & { attemptLog: WebhookAttempt[] }> {
    const delivery = await this.getDelivery(entitlement, id);
    this.requirePermittedEvents(entitlement, [delivery.eventType as WebhookEventType]);
    if (!(await this.deliveries.redeliver(scopeOf(entitlement), id))) throw new WebhookDeliveryInFlightError(id);
    return this.getDelivery(entitlement, id);
  }

  private requirePermittedEvents(entitlement: Entitlement, eventTypes: readonly WebhookEventType[]): void {
    for (const eventType of eventTypes) {
      const anyOf = WEBHOOK_EVENT_PERMISSIONS[eventType] ?? [];
      if (!holdsAny(entitlement, ...anyOf)) throw new WebhookEventNotPermittedError(eventType, anyOf);
    }
  }
}
