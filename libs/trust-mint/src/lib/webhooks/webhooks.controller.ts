import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, Entitled, type Entitlement } from '../core/entitlement.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { TrustMintPermission as P } from '../core/trust-mint.permissions.js';
import type { WebhookEventType } from './domain/webhook-events.js';
import {
  createdSubscriberResponseSchema,
  createSubscriberBodySchema,
  deliveryDetailResponseSchema,
  deliveryIdParamsSchema,
  deliveryPageResponseSchema,
  listDeliveriesQuerySchema,
  listSubscribersQuerySchema,
  subscriberIdParamsSchema,
  subscriberListResponseSchema,
  subscriberResponseSchema,
  toDeliveryDetailResponse,
  toDeliveryPageResponse,
  toSubscriberResponse,
  updateSubscriberBodySchema,
  type CreatedSubscriberResponse,
  type CreateSubscriberBody,
  type DeliveryDetailResponse,
  type DeliveryIdParams,
  type DeliveryPageResponse,
  type ListDeliveriesQuery,
  type ListSubscribersQuery,
  type SubscriberIdParams,
  type SubscriberListResponse,
  type SubscriberResponse,
  type UpdateSubscriberBody,
} from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Partners' webhook endpoints and the delivery log. Reading needs an events or approvals
 * permission; subscribing to an event type needs the permission that type names
 * (WEBHOOK_EVENT_PERMISSIONS: license_upgrade.requested is the License Manager's approvals.write).
 */
@ApiTags('entitlements: webhooks')
@Controller('entitlements/v1/webhooks')
@Entitled(P.eventsRead, P.approvalsRead, P.approvalsWrite)
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post('subscribers')
  @Endpoint({
    summary:
      "Register an endpoint for event types of the caller's account; the response carries its whsec_ secret, once",
    body: createSubscriberBodySchema,
    response: createdSubscriberResponseSchema,
    status: 201,
  })
  async create(
    @CurrentEntitlement() entitlement: Entitlement,
    @Body() body: CreateSubscriberBody,
  ): Promise<CreatedSubscriberResponse> {
    const { subscriber, secret } = await this.webhooks.create(entitlement, {
      url: body.url,
      eventTypes: body.eventTypes as WebhookEventType[],
      description: body.description,
    });
    return { ...toSubscriberResponse(subscriber), secret };
  }

  @Get('subscribers')
  @Endpoint({
    summary: "The account's subscribers",
    query: listSubscribersQuerySchema,
    response: subscriberListResponseSchema,
  })
  async list(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: ListSubscribersQuery,
  ): Promise<SubscriberListResponse> {
    return { items: (await this.webhooks.list(entitlement, query.accountId)).map(toSubscriberResponse) };
  }

  @Get('subscribers/:id')
  @Endpoint({
    summary: 'One subscriber (never its secret)',
    params: subscriberIdParamsSchema,
    response: subscriberResponseSchema,
  })
  async get(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: SubscriberIdParams,
  ): Promise<SubscriberResponse> {
    return toSubscriberResponse(await this.webhooks.get(entitlement, params.id));
  }

  @Patch('subscribers/:id')
  @Endpoint({
    summary: 'Change URL, event types, description, or enable/disable',
    params: subscriberIdParamsSchema,
    body: updateSubscriberBodySchema,
    response: subscriberResponseSchema,
  })
  async update(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: SubscriberIdParams,
    @Body() body: UpdateSubscriberBody,
  ): Promise<SubscriberResponse> {
    return toSubscriberResponse(
      await this.webhooks.update(entitlement, params.id, {
        ...body,
        eventTypes: body.eventTypes as WebhookEventType[] | undefined,
      }),
    );
  }

  @Delete('subscribers/:id')
  @Endpoint({ summary: 'Remove a subscriber (its delivery log stays)', params: subscriberIdParamsSchema, status: 204 })
  async delete(@CurrentEntitlement() entitlement: Entitlement, @Param() params: SubscriberIdParams): Promise<void> {
    await this.webhooks.delete(entitlement, params.id);
  }

  @Get('deliveries')
  @Endpoint({
    summary: "The account's deliveries, newest first",
    query: listDeliveriesQuerySchema,
    response: deliveryPageResponseSchema,
  })
  async deliveries(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryPageResponse> {
    return toDeliveryPageResponse(
      await this.webhooks.listDeliveries(
        entitlement,
        { subscriberId: query.subscriberId, status: query.status },
        toPageRequest(query),
      ),
    );
  }

  @Get('deliveries/:id')
  @Endpoint({
    summary: 'One delivery with every attempt',
    params: deliveryIdParamsSchema,
    response: deliveryDetailResponseSchema,
  })
  async delivery(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: DeliveryIdParams,
  ): Promise<DeliveryDetailResponse> {
    return toDeliveryDetailResponse(await this.webhooks.getDelivery(entitlement, params.id));
  }

  @Post('deliveries/:id/redeliver')
  @Endpoint({
    summary: 'Send a delivery again now with a fresh retry schedule (dead letters included)',
    params: deliveryIdParamsSchema,
    response: deliveryDetailResponseSchema,
    status: 202,
  })
  async redeliver(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: DeliveryIdParams,
  ): Promise<DeliveryDetailResponse> {
    return toDeliveryDetailResponse(await this.webhooks.redeliver(entitlement, params.id));
  }
}
