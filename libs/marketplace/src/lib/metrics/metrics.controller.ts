import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { MarketplacePermission } from '../core/marketplace.permissions.js';
import { listingIdParamsSchema, type ListingIdParams } from '../listings/listings.dto.js';
import { metricsQuerySchema, metricsResponseSchema, type MetricsQuery, type MetricsResponse } from './metrics.dto.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('marketplace: developer portal')
@Controller('marketplace/v1/listings')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get(':id/metrics')
  @Authenticated(MarketplacePermission.metricsRead)
  @Endpoint({
    summary: "The developer's own listing: devices matched, installs, licenses, Gets and adoption (aggregates only)",
    params: listingIdParamsSchema,
    query: metricsQuerySchema,
    response: metricsResponseSchema,
  })
  async forListing(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ListingIdParams,
    @Query() query: MetricsQuery,
  ): Promise<MetricsResponse> {
    return this.metrics.forListing(principal, params.id, query.version ?? null);
  }
}
