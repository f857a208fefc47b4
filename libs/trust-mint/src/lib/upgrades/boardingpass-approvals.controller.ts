import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, PLATFORM_ADMIN_PERMISSION, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { toPageRequest } from '@flexgalaxy/service-kit';
import {
  approveBodySchema,
  listUpgradesQuerySchema,
  refuseBodySchema,
  toUpgradePageResponse,
  toUpgradeResponse,
  upgradeIdParamsSchema,
  upgradePageResponseSchema,
  upgradeResponseSchema,
  type ApproveBody,
  type ListUpgradesQuery,
  type RefuseBody,
  type UpgradeIdParams,
  type UpgradePageResponse,
  type UpgradeResponse,
} from './upgrades.dto.js';
import { UpgradesService } from './upgrades.service.js';

/** seed 001 BoardingPass: the fallback approval workflow when no partner subscribed. Platform admins only. */
@ApiTags('entitlements: boardingpass')
@Controller('entitlements/v1/boardingpass/upgrade-requests')
@Authenticated(PLATFORM_ADMIN_PERMISSION)
export class BoardingPassApprovalsController {
  constructor(@Inject(UpgradesService) private readonly upgrades: UpgradesService) {}

  @Get()
  @Endpoint({
    summary: 'Upgrade requests across accounts (e.g. ?status=PENDING&route=ADMIN_REVIEW: the review queue)',
    query: listUpgradesQuerySchema,
    response: upgradePageResponseSchema,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListUpgradesQuery,
  ): Promise<UpgradePageResponse> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return toUpgradePageResponse(await this.upgrades.list(principal, filter, toPageRequest(query)));
  }

  @Post(':id/approve')
  @Endpoint({
    summary: 'Approve: issues the OFFICIAL license',
    params: upgradeIdParamsSchema,
    body: approveBodySchema,
    response: upgradeResponseSchema,
    status: 200,
  })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UpgradeIdParams,
    @Body() body: ApproveBody,
  ): Promise<UpgradeResponse> {
    const { request } = await this.upgrades.decide(principal, params.id, {
      decision: 'APPROVE',
      reason: body.reason ?? null,
    });
    return toUpgradeResponse(request);
  }

  @Post(':id/refuse')
  @Endpoint({
    summary: 'Refuse, with a reason',
    params: upgradeIdParamsSchema,
    body: refuseBodySchema,
    response: upgradeResponseSchema,
    status: 200,
  })
  async refuse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UpgradeIdParams,
    @Body() body: RefuseBody,
  ): Promise<UpgradeResponse> {
    const { request } = await this.upgrades.decide(principal, params.id, { decision: 'REFUSE', reason: body.reason });
    return toUpgradeResponse(request);
  }
}
