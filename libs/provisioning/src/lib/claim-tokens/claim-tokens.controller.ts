import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { ProvisioningPermission } from '../provisioning.permissions.js';
import {
  claimTokenListResponseSchema,
  createClaimTokensBodySchema,
  createdClaimTokensResponseSchema,
  listClaimTokensQuerySchema,
  toClaimTokenResponse,
  type ClaimTokenListResponse,
  type CreateClaimTokensBody,
  type CreatedClaimTokensResponse,
  type ListClaimTokensQuery,
} from './claim-tokens.dto.js';
import { ClaimTokensService } from './claim-tokens.service.js';

@ApiTags('provisioning')
@Controller('provisioning/v1/claim-tokens')
export class ClaimTokensController {
  constructor(@Inject(ClaimTokensService) private readonly tokens: ClaimTokensService) {}

  @Post()
  @Authenticated(ProvisioningPermission.claimTokensWrite)
  @Endpoint({
    summary: 'Generate a batch of single-use claim or pre-shared tokens (shown once)',
    body: createClaimTokensBodySchema,
    response: createdClaimTokensResponseSchema,
    status: 201,
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateClaimTokensBody,
  ): Promise<CreatedClaimTokensResponse> {
    const batch = await this.tokens.generate(principal, {
      ...body,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
    });
    return {
      batchId: batch.batchId,
      tokens: batch.tokens.map((token) => ({ ...toClaimTokenResponse(token), token: token.token })),
    };
  }

  @Get()
  @Authenticated(ProvisioningPermission.claimTokensRead)
  @Endpoint({
    summary: "An account's unused, unexpired tokens (never the tokens themselves)",
    query: listClaimTokensQuerySchema,
    response: claimTokenListResponseSchema,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListClaimTokensQuery,
  ): Promise<ClaimTokenListResponse> {
    const page = await this.tokens.listUnused(principal, query.account, {
      after: query.after ?? null,
      limit: query.limit,
    });
    return { items: page.items.map(toClaimTokenResponse), nextAfter: page.nextAfter };
  }
}
