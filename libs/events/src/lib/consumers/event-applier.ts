import { Injectable, Logger } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import type { ConsumerRegistration } from './consumer-registration.js';
import { parseEvent } from './parse-event.js';

export type ApplyOutcome = 'applied' | 'duplicate' | 'dead_lettered';

interface EnvelopeIdentity {
  id?: unknown;
  type?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies one event to one consumer inside the caller's transaction: records the event id as
 * applied (so a redelivery is a no-op), validates it against its contract (an invalid event is
 * dead-lettered, not retried), then runs the handler. Shared by every transport.
 */
@Injectable()
export class EventApplier {
  private readonly logger = new Logger('events');

  async apply(tx: Tx, registration: ConsumerRegistration, raw: unknown): Promise<ApplyOutcome> {
    const identity = raw as EnvelopeIdentity;
    const eventId = typeof identity?.id === 'string' && UUID.test(identity.id) ? identity.id : null;
    if (eventId) {
      const claimed = await tx.processedEvent.createMany({
        data: [{ consumer: registration.name, eventId }],
        skipDuplicates: true,
      });
      if (claimed.count === 0) return 'duplicate';
    }
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      await this.deadLetter(tx, registration, raw, parsed.error, 1);
      return 'dead_lettered';
    }
    await registration.handler.handle(parsed.event, tx);
    return 'applied';
  }

  /** Parks an event the consumer could not apply, with the reason, and marks it as handled. */
  async deadLetter(tx: Tx, registration: ConsumerRegistration, raw: unknown, error: string, attempts: number) {
    const identity = raw as EnvelopeIdentity;
    const eventId =
      typeof identity?.id === 'string' && UUID.test(identity.id) ? identity.id : '00000000-0000-0000-0000-000000000000';
    this.logger.warn({ consumer: registration.name, eventId, error, attempts }, 'event dead-lettered');
    await tx.deadLetter.create({
      data: {
        consumer: registration.name,
        eventId,
        eventType: typeof identity?.type === 'string' ? identity.type : 'unknown',
        envelope: (raw ?? null) as object,
        error,
        attempts,
      },
    });
    await tx.processedEvent.createMany({ data: [{ consumer: registration.name, eventId }], skipDuplicates: true });
  }
}
