import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, Entitled, type Entitlement } from '../core/entitlement.js';
import { TrustMintPermission as P } from '../core/trust-mint.permissions.js';
import {
  accountReportQuerySchema,
  accountReportResponseSchema,
  softwareReportQuerySchema,
  softwareReportResponseSchema,
  type AccountReportQuery,
  type AccountReportResponse,
  type SoftwareReportQuery,
  type SoftwareReportResponse,
} from './reports.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('entitlements: reports')
@Controller('entitlements/v1/reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  // The developer of a listing is usually no TrustMint subscriber: this report of its own
  // software's aggregates is the one thing it reads here, so no boundary permission is asked.
  @Get('licenses')
  @Entitled()
  @Endpoint({
    summary: "One listing's licenses: active by type, issued/revoked per day (its developer, platform admins)",
    query: softwareReportQuerySchema,
    response: softwareReportResponseSchema,
  })
  async software(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: SoftwareReportQuery,
  ): Promise<SoftwareReportResponse> {
    return this.reports.software(entitlement, query.softwareId, query.days);
  }

  @Get('account-licenses')
  @Entitled(P.licensesRead, P.certificatesRead)
  @Endpoint({
    summary: "The caller's account's licenses: active by software and type, issued/revoked per day",
    query: accountReportQuerySchema,
    response: accountReportResponseSchema,
  })
  async account(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: AccountReportQuery,
  ): Promise<AccountReportResponse> {
    const accountId =
      entitlement.kind === 'admin' && query.accountId ? query.accountId : entitlement.principal.accountId;
    return this.reports.account(accountId, query.days);
  }
}
