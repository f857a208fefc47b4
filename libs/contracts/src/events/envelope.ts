import { z } from 'zod';

/** Fields every event carries, whatever its type (ARCHITECTURE.md "Events"). */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  accountId: z.string().min(1),
  deviceId: z.string().min(1).nullable(),
  payload: z.unknown(),
});

export type EventEnvelope<TType extends string = string, TPayload = unknown> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'type' | 'payload'
> & { type: TType; payload: TPayload };

/** One event type: its name (= Kafka topic), schema version and payload schema. */
export interface EventDefinition<TType extends string, TSchema extends z.ZodType> {
  readonly type: TType;
  readonly version: number;
  readonly payload: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  type: TType,
  version: number,
  payload: TSchema,
): EventDefinition<TType, TSchema> {
  return Object.freeze({ type, version, payload });
}
