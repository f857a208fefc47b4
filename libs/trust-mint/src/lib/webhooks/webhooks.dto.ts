import { z } from 'zod';
import { pageQueryShape, pageResponseSchema, type Page } from '@flexgalaxy/service-kit';
import { WEBHOOK_EVENT_TYPES } from './domain/webhook-events.js';
import type { WebhookAttempt, WebhookDelivery, WebhookSubscriber } from './domain/webhook.js';

const url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .refine((value) => !new URL(value).username && !new URL(value).password, 'must not carry credentials');
const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);

export const subscriberIdParamsSchema = z.object({ id: z.uuid() });
export type SubscriberIdParams = z.output<typeof subscriberIdParamsSchema>;

export const deliveryIdParamsSchema = z.object({
  id: z.string().regex(/^msg_[0-9a-z]{9}[0-9a-f]{16}$/, 'not a delivery id'),
});
export type DeliveryIdParams = z.output<typeof deliveryIdParamsSchema>;

export const createSubscriberBodySchema = z
  .object({ url, eventTypes, description: z.string().trim().max(500).default('') })
  .strict()
  .meta({ id: 'WebhookSubscriberCreate' });
export type CreateSubscriberBody = z.output<typeof createSubscriberBodySchema>;

export const updateSubscriberBodySchema = z
  .object({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .meta({ id: 'WebhookSubscriberUpdate' });
export type UpdateSubscriberBody = z.output<typeof updateSubscriberBodySchema>;

export const listSubscribersQuerySchema = z.object({ accountId: z.string().min(1).max(200).optional() });
export type ListSubscribersQuery = z.output<typeof listSubscribersQuerySchema>;

export const listDeliveriesQuerySchema = z.object({
  ...pageQueryShape,
  subscriberId: z.uuid().optional(),
  status: z.enum(['PENDING', 'SENDING', 'SUCCEEDED', 'DEAD']).optional(),
});
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuerySchema>;

const subscriberShape = {
  id: z.string(),
  accountId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const subscriberResponseSchema = z.object(subscriberShape).meta({ id: 'WebhookSubscriber' });
export type SubscriberResponse = z.output<typeof subscriberResponseSchema>;

/** Only at creation: the signing secret, never shown again. */
export const createdSubscriberResponseSchema = z
  .object({ ...subscriberShape, secret: z.string() })
  .meta({ id: 'WebhookSubscriberCreated' });
export type CreatedSubscriberResponse = z.output<typeof createdSubscriberResponseSchema>;

export const subscriberListResponseSchema = z
  .object({ items: z.array(subscriberResponseSchema) })
  .meta({ id: 'WebhookSubscriberList' });
export type SubscriberListResponse = z.output<typeof subscriberListResponseSchema>;

const deliveryShape = {
  id: z.string(),
  subscriberId: z.string(),
  accountId: z.string(),
  eventType: z.string(),
  eventId: z.string(),
  status: z.enum(['PENDING', 'SENDING', 'SUCCEEDED', 'DEAD']),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  deadAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
};

export const deliveryResponseSchema = z.object(deliveryShape).meta({ id: 'WebhookDelivery' });
export type DeliveryResponse = z.output<typeof deliveryResponseSchema>;

export const deliveryDetailResponseSchema = z
  .object({
    ...deliveryShape,
    attemptLog: z.array(
      z.object({
        number: z.number().int(),
        manual: z.boolean(),
        startedAt: z.iso.datetime(),
        latencyMs: z.number().int(),
        statusCode: z.number().int().nullable(),
        outcome: z.string(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'WebhookDeliveryDetail' });
export type DeliveryDetailResponse = z.output<typeof deliveryDetailResponseSchema>;

export const deliveryPageResponseSchema = pageResponseSchema(deliveryResponseSchema, 'WebhookDeliveryPage');
export type DeliveryPageResponse = z.output<typeof deliveryPageResponseSchema>;

export function toSubscriberResponse(subscriber: WebhookSubscriber): SubscriberResponse {
  return {
    id: subscriber.id,
    accountId: subscriber.accountId,
    url: subscriber.url,
    eventTypes: subscriber.eventTypes,
    description: subscriber.description,
    enabled: subscriber.enabled,
    disabledReason: subscriber.disabledReason,
    createdAt: subscriber.createdAt.toISOString(),
    updatedAt: subscriber.updatedAt.toISOString(),
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toDeliveryResponse(delivery: WebhookDelivery): DeliveryResponse {
  return {
    id: delivery.id,
    subscriberId: delivery.subscriberId,
    accountId: delivery.accountId,
    eventType: delivery.eventType,
    eventId: delivery.eventId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    deadAt: iso(delivery.deadAt),
    createdAt: delivery.createdAt.toISOString(),
  };
}

export function toDeliveryDetailResponse(
  delivery: WebhookDelivery & { attemptLog: WebhookAttempt[] },
): DeliveryDetailResponse {
  return {
    ...toDeliveryResponse(delivery),
    attemptLog: delivery.attemptLog.map((attempt) => ({
      number: attempt.number,
      manual: attempt.manual,
      startedAt: attempt.startedAt.toISOString(),
      latencyMs: attempt.latencyMs,
      statusCode: attempt.statusCode,
      outcome: attempt.outcome,
      error: attempt.error,
    })),
  };
}

export function toDeliveryPageResponse(page: Page<WebhookDelivery>): DeliveryPageResponse {
  return { items: page.items.map(toDeliveryResponse), nextCursor: page.nextCursor };
}
