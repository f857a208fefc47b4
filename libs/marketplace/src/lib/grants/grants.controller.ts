import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { listingIdParamsSchema, type ListingIdParams } from '../listings/listings.dto.js';
import {
  getListingBodySchema,
  grantIdParamsSchema,
  grantPageResponseSchema,
  grantResponseSchema,
  listGrantsQuerySchema,
  toGrantPageResponse,
  toGrantResponse,
  type GetListingBody,
  type GrantIdParams,
  type GrantPageResponse,
  type GrantResponse,
  type ListGrantsQuery,
} from './grants.dto.js';
import { GrantsService } from './grants.service.js';

// The permission a Get needs depends on its scope (marketplace.get / marketplace.get.org), so
// the service checks it once the body is known.
@ApiTags('marketplace: get')
@Controller('marketplace/v1')
@Authenticated()
export class GrantsController {
  constructor(@Inject(GrantsService) private readonly grants: GrantsService) {}

  @Post('listings/:id/get')
  @Endpoint({
    summary:
      '"Get" a listing for this account or org-wide (org root only): 201 new grant, 200 the grant that already covers it',
    params: listingIdParamsSchema,
    body: getListingBodySchema,
    response: grantResponseSchema,
    status: 201,
  })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ListingIdParams,
    @Body() body: GetListingBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GrantResponse> {
    const { grant, created } = await this.grants.get(principal, params.id, body);
    if (!created) void reply.status(200);
    return toGrantResponse(grant);
  }

  @Get('grants')
  @Endpoint({
    summary: "The caller's grants and its org's org-wide grants",
    query: listGrantsQuerySchema,
    response: grantPageResponseSchema,
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListGrantsQuery): Promise<GrantPageResponse> {
    return toGrantPageResponse(
      await this.grants.list(principal, { listingId: query.listingId, status: query.status }, toPageRequest(query)),
    );
  }

  @Get('grants/:id')
  @Endpoint({ summary: 'One grant the caller may see', params: grantIdParamsSchema, response: grantResponseSchema })
  async find(@CurrentPrincipal() principal: Principal, @Param() params: GrantIdParams): Promise<GrantResponse> {
    return toGrantResponse(await this.grants.find(principal, params.id));
  }

  @Post('grants/:id/revoke')
  @Endpoint({
    summary: 'Revoke a grant (emits marketplace.grant.revoked); revoking again changes nothing',
    params: grantIdParamsSchema,
    response: grantResponseSchema,
    status: 200,
  })
  async revoke(@CurrentPrincipal() principal: Principal, @Param() params: GrantIdParams): Promise<GrantResponse> {
    return toGrantResponse(await this.grants.revoke(principal, params.id));
  }
}
