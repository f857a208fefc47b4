import type { ConsumerRegistration } from './consumers/consumer-registration.js';

/**
 * Carries committed outbox events to consumers. Embedded: relayed in-process. Kafka: the outbox
 * is published to one topic per event type and consumed by this service's consumer group.
 */
export interface EventTransport {
  /** Starts delivering to these consumers (and publishing this process' outbox, if it does). */
  start(consumers: ConsumerRegistration[]): Promise<void>;
  /** Stops after the events in flight are applied; nothing is lost, the offsets are durable. */
  stop(): Promise<void>;
}

export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');
