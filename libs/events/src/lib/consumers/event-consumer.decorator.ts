import { SetMetadata } from '@nestjs/common';
import type { EventType, PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';

export const EVENT_CONSUMER = Symbol('EVENT_CONSUMER');

export interface EventConsumerOptions<K extends EventType = EventType> {
  /** Stable, unique name: the key of this consumer's offset and applied-event records. */
  name: string;
  /** Event types it handles. */
  events: readonly K[];
}

/**
 * One effect of one or more events. `handle` runs inside the transaction that also records the
 * event as applied, so its writes and that record commit together (exactly-once in effect).
 * Throwing rolls both back; the event is retried, then dead-lettered.
 */
export interface EventConsumer<K extends EventType = EventType> {
  handle(event: PlatformEvent<K>, tx: Tx): Promise<void>;
}

/** Marks a provider as an event consumer; the events module discovers it at boot. */
export function OnEvents<K extends EventType>(options: EventConsumerOptions<K>): ClassDecorator {
  return SetMetadata(EVENT_CONSUMER, options);
}
