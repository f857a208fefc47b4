import { Injectable } from '@nestjs/common';
import { DomainError } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import type { ConsumerRegistration } from './consumer-registration.js';
import { EventApplier } from './event-applier.js';

export class DeadLetterNotFoundError extends DomainError {
  readonly code = 'EVENTS.DEAD_LETTER_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

export interface DeadLetterView {
  id: string;
  consumer: string;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  createdAt: Date;
  redrivenAt: Date | null;
}

/** Lists parked events and re-applies one by hand once its cause is fixed. */
@Injectable()
export class DeadLettersService {
  private consumers = new Map<string, ConsumerRegistration>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly applier: EventApplier,
  ) {}

  /** Called by the events module once consumers are discovered. */
  useConsumers(consumers: ConsumerRegistration[]): void {
    this.consumers = new Map(consumers.map((consumer) => [consumer.name, consumer]));
  }

  async list(consumer?: string, limit = 100): Promise<DeadLetterView[]> {
    const rows = await this.prisma.deadLetter.findMany({
      where: { ...(consumer ? { consumer } : {}), redrivenAt: null },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
    return rows.map(({ envelope: _envelope, ...view }) => view);
  }

  /** Applies the stored event again; on success the dead letter is marked redriven. */
  async redrive(id: string): Promise<'applied' | 'duplicate' | 'dead_lettered'> {
    return this.prisma.$transaction(async (tx) => {
      const letter = await tx.deadLetter.findFirst({ where: { id, redrivenAt: null } });
      const registration = letter && this.consumers.get(letter.consumer);
      if (!letter || !registration) throw new DeadLetterNotFoundError(`no pending dead letter ${id}`);
      await tx.processedEvent.deleteMany({ where: { consumer: letter.consumer, eventId: letter.eventId } });
      const outcome = await this.applier.apply(tx, registration, letter.envelope);
      await tx.deadLetter.update({ where: { id }, data: { redrivenAt: new Date() } });
      return outcome;
    });
  }
}
