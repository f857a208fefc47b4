import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { MarketplacePermission } from '../core/marketplace.permissions.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import {
  createListingBodySchema,
  listingIdParamsSchema,
  listingPageResponseSchema,
  listingResponseSchema,
  listListingsQuerySchema,
  publishedResponseSchema,
  publishVersionBodySchema,
  toListingPageResponse,
  toListingResponse,
  toVersionResponse,
  updateListingBodySchema,
  versionListResponseSchema,
  type CreateListingBody,
  type ListingIdParams,
  type ListingPageResponse,
  type ListingResponse,
  type ListListingsQuery,
  type PublishedResponse,
  type PublishVersionBody,
  type UpdateListingBody,
} from './listings.dto.js';
import { ListingsService } from './listings.service.js';

@ApiTags('marketplace: listings')
@Controller('marketplace/v1/listings')
export class ListingsController {
  constructor(@Inject(ListingsService) private readonly listings: ListingsService) {}

  @Post()
  @Authenticated(MarketplacePermission.listingsWrite)
  @Endpoint({
    summary: 'Create a draft listing (developer accounts); a license issuance policy is required',
    body: createListingBodySchema,
    response: listingResponseSchema,
    status: 201,
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateListingBody): Promise<ListingResponse> {
    return toListingResponse(await this.listings.create(principal, body));
  }

  @Get()
  @Authenticated()
  @Endpoint({
    summary: "The catalog: published listings, and the caller's own drafts",
    query: listListingsQuerySchema,
    response: listingPageResponseSchema,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListListingsQuery,
  ): Promise<ListingPageResponse> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return toListingPageResponse(await this.listings.list(principal, filter, toPageRequest(query)));
  }

  @Get(':id')
  @Authenticated()
  @Endpoint({
    summary: 'One listing (a draft only for its developer)',
    params: listingIdParamsSchema,
    response: listingResponseSchema,
  })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: ListingIdParams): Promise<ListingResponse> {
    return toListingResponse(await this.listings.get(principal, params.id));
  }

  @Patch(':id')
  @Authenticated(MarketplacePermission.listingsWrite)
  @Endpoint({
    summary: 'Edit a listing; once published, its terms (software id, category, scoping, policy) stay',
    params: listingIdParamsSchema,
    body: updateListingBodySchema,
    response: listingResponseSchema,
  })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ListingIdParams,
    @Body() body: UpdateListingBody,
  ): Promise<ListingResponse> {
    return toListingResponse(await this.listings.update(principal, params.id, body));
  }

  @Post(':id/versions')
  @Authenticated(MarketplacePermission.listingsWrite)
  @Endpoint({
    summary: 'Publish a version: emits listing.published',
    params: listingIdParamsSchema,
    body: publishVersionBodySchema,
    response: publishedResponseSchema,
    status: 201,
  })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ListingIdParams,
    @Body() body: PublishVersionBody,
  ): Promise<PublishedResponse> {
    const { listing, version } = await this.listings.publish(principal, params.id, body);
    return { listing: toListingResponse(listing), version: toVersionResponse(version) };
  }

  @Get(':id/versions')
  @Authenticated()
  @Endpoint({
    summary: 'Published versions of a listing, oldest first',
    params: listingIdParamsSchema,
    response: versionListResponseSchema,
  })
  async versions(@CurrentPrincipal() principal: Principal, @Param() params: ListingIdParams) {
    return { items: (await this.listings.versions(principal, params.id)).map(toVersionResponse) };
  }
}
