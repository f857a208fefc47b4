import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, PLATFORM_ADMIN_PERMISSION, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import {
  accountIdParamsSchema,
  declareRolesBodySchema,
  overrideBoundaryBodySchema,
  subscriptionResponseSchema,
  toSubscriptionResponse,
  type AccountIdParams,
  type DeclareRolesBody,
  type OverrideBoundaryBody,
  type SubscriptionResponse,
} from './subscriptions.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

/**
 * Subscribing happens before a boundary exists, so it is checked on the token alone
 * (`trust-mint.subscribe`, held by account administrators); overrides are platform admins' (SuperCrew).
 */
@ApiTags('entitlements: subscription')
@Controller('entitlements/v1')
export class SubscriptionsController {
  constructor(@Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService) {}

  @Put('subscription')
  @Authenticated()
  @Endpoint({
    summary: "Subscribe the caller's account, declaring Device Manufacturer and/or License Manager",
    body: declareRolesBodySchema,
    response: subscriptionResponseSchema,
  })
  async declare(
    @CurrentPrincipal() principal: Principal,
    @Body() body: DeclareRolesBody,
  ): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.declare(principal, body.roles, body.accountId));
  }

  @Get('subscription')
  @Authenticated()
  @Endpoint({ summary: "The caller's account's roles and permission boundary", response: subscriptionResponseSchema })
  async mine(@CurrentPrincipal() principal: Principal): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.mine(principal));
  }

  @Get('subscriptions/:accountId')
  @Authenticated(PLATFORM_ADMIN_PERMISSION)
  @Endpoint({
    summary: "An account's subscription (platform admins)",
    params: accountIdParamsSchema,
    response: subscriptionResponseSchema,
  })
  async get(@Param() params: AccountIdParams): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.of(params.accountId));
  }

  @Put('subscriptions/:accountId/boundary')
  @Authenticated(PLATFORM_ADMIN_PERMISSION)
  @Endpoint({
    summary: "Override an account's permission boundary (platform admins); null restores the roles' boundary",
    params: accountIdParamsSchema,
    body: overrideBoundaryBodySchema,
    response: subscriptionResponseSchema,
  })
  async override(@Param() params: AccountIdParams, @Body() body: OverrideBoundaryBody): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.override(params.accountId, body.permissions));
  }
}
