import { DomainError } from '@flexgalaxy/contracts';

export class WebhookSubscriberNotFoundError extends DomainError {
  readonly code = 'WEBHOOK.SUBSCRIBER_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(subscriberId: string) {
    super('webhook subscriber not found', { subscriberId });
  }
}

export class WebhookDeliveryNotFoundError extends DomainError {
  readonly code = 'WEBHOOK.DELIVERY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deliveryId: string) {
    super('webhook delivery not found', { deliveryId });
  }
}

/** The delivery is being sent right now; redeliver once this attempt is recorded. */
export class WebhookDeliveryInFlightError extends DomainError {
  readonly code = 'WEBHOOK.DELIVERY_IN_FLIGHT';
  readonly kind = 'conflict' as const;

  constructor(deliveryId: string) {
    super('the delivery is being attempted right now', { deliveryId });
  }
}

/** Subscribing to an event type needs a permission the caller's boundary does not give it. */
export class WebhookEventNotPermittedError extends DomainError {
  readonly code = 'WEBHOOK.EVENT_NOT_PERMITTED';
  readonly kind = 'forbidden' as const;

  constructor(eventType: string, anyOf: readonly string[]) {
    super(`subscribing to ${eventType} needs one of: ${anyOf.join(', ')}`, { eventType, anyOf: [...anyOf] });
  }
}
