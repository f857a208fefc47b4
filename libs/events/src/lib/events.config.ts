import { z } from 'zod';

/** Event transport settings: Kafka when KAFKA_BROKERS is set, the in-process relay otherwise. */
export const eventsConfigSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]')
    .optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default('flexgalaxy'),
  /** Consumer group of this process' consumers (one per service in the distributed shape). */
  KAFKA_GROUP_ID: z.string().min(1).default('flexgalaxy-platform'),
  /** Prepended to every topic name (one cluster serving several environments, or test runs). */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  /** Whether this process relays its outbox to Kafka (every process that writes events does). */
  EVENTS_PUBLISH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  EVENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  /** Fallback poll when no NOTIFY arrives (e.g. a row held back behind a long transaction). */
  EVENTS_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  EVENTS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(200),
});

export type EventsConfig = z.output<typeof eventsConfigSchema>;
