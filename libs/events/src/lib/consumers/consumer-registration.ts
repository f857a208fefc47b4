import type { EventType } from '@flexgalaxy/contracts';
import type { EventConsumer } from './event-consumer.decorator.js';

/** A discovered consumer: its stable name, the types it handles and the handler instance. */
export interface ConsumerRegistration {
  name: string;
  events: ReadonlySet<EventType>;
  handler: EventConsumer;
}

export function handles(registration: ConsumerRegistration, type: string): boolean {
  return registration.events.has(type as EventType);
}
