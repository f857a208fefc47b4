import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, Entitled, type Entitlement } from '../core/entitlement.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { TrustMintPermission as P } from '../core/trust-mint.permissions.js';
import {
  createUpgradeBodySchema,
  decisionBodySchema,
  listUpgradesQuerySchema,
  toUpgradePageResponse,
  toUpgradeResponse,
  upgradeIdParamsSchema,
  upgradePageResponseSchema,
  upgradeResponseSchema,
  type CreateUpgradeBody,
  type DecisionBody,
  type ListUpgradesQuery,
  type UpgradeIdParams,
  type UpgradePageResponse,
  type UpgradeResponse,
} from './upgrades.dto.js';
import { UpgradesService } from './upgrades.service.js';

/** ThingHub's "request license upgrades / track approval status", and the partner's decision callback. */
@ApiTags('entitlements: upgrades')
@Controller('entitlements/v1/upgrade-requests')
export class UpgradesController {
  constructor(@Inject(UpgradesService) private readonly upgrades: UpgradesService) {}

  @Post()
  @Entitled(P.devicesWrite, P.approvalsWrite)
  @Endpoint({
    summary: 'Request OFFICIAL for a TRIAL license: 201 new (PENDING, or APPROVED by triage), 200 the pending one',
    body: createUpgradeBodySchema,
    response: upgradeResponseSchema,
    status: 201,
  })
  async create(
    @CurrentEntitlement() entitlement: Entitlement,
    @Body() body: CreateUpgradeBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UpgradeResponse> {
    const { request, created } = await this.upgrades.request(entitlement.principal, body.licenseId, body.note ?? null);
    if (!created) void reply.status(200);
    return toUpgradeResponse(request);
  }

  @Get()
  @Entitled(P.approvalsRead, P.devicesRead)
  @Endpoint({
    summary: "The account's upgrade requests",
    query: listUpgradesQuerySchema,
    response: upgradePageResponseSchema,
  })
  async list(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: ListUpgradesQuery,
  ): Promise<UpgradePageResponse> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return toUpgradePageResponse(await this.upgrades.list(entitlement.principal, filter, toPageRequest(query)));
  }

  @Get(':id')
  @Entitled(P.approvalsRead, P.devicesRead)
  @Endpoint({ summary: 'One upgrade request', params: upgradeIdParamsSchema, response: upgradeResponseSchema })
  async get(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: UpgradeIdParams,
  ): Promise<UpgradeResponse> {
    return toUpgradeResponse(await this.upgrades.get(entitlement.principal, params.id));
  }

  @Post(':id/decision')
  @Entitled(P.approvalsWrite)
  @Endpoint({
    summary:
      "The License Manager's decision (seed 001): applied once; the same decision again is 200, the opposite 409",
    params: upgradeIdParamsSchema,
    body: decisionBodySchema,
    response: upgradeResponseSchema,
    status: 200,
  })
  async decide(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: UpgradeIdParams,
    @Body() body: DecisionBody,
  ): Promise<UpgradeResponse> {
    const { request } = await this.upgrades.decide(entitlement.principal, params.id, {
      decision: body.decision,
      reason: body.reason ?? null,
    });
    return toUpgradeResponse(request);
  }
}
