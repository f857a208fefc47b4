import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { LedgerRepository } from '../licenses/ledger.repository.js';
import { ledgerEntryResponseSchema, toLedgerEntryResponse } from '../licenses/licenses.dto.js';
import { pageResponseSchema } from '@flexgalaxy/service-kit';
import {
  auditQuerySchema,
  enrollmentAnalyticsResponseSchema,
  issuanceAnalyticsResponseSchema,
  windowQuerySchema,
  type AuditQuery,
  type WindowQuery,
} from './reports.dto.js';
import { ReportsService } from './reports.service.js';

const auditPageSchema = pageResponseSchema(ledgerEntryResponseSchema, 'AuditTrailPage');

/** seed 001 BoardingPass: cross-account license analytics and the platform-wide audit trail. */
@ApiTags('entitlements: boardingpass')
@Controller('entitlements/v1/boardingpass')
@Authenticated(PLATFORM_ADMIN_PERMISSION)
export class BoardingPassAnalyticsController {
  constructor(
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
  ) {}

  @Get('analytics/issuance')
  @Endpoint({
    summary: 'Licenses issued by type and account, per UTC day ([from, to), default the last 30 days)',
    query: windowQuerySchema,
    response: issuanceAnalyticsResponseSchema,
  })
  async issuance(@Query() query: WindowQuery) {
    return this.reports.issuance(query.from, query.to);
  }

  @Get('analytics/enrollments')
  @Endpoint({
    summary: 'Devices enrolled per account and UTC day',
    query: windowQuerySchema,
    response: enrollmentAnalyticsResponseSchema,
  })
  async enrollments(@Query() query: WindowQuery) {
    return this.reports.enrollments(query.from, query.to);
  }

  @Get('audit')
  @Endpoint({
    summary: 'The platform-wide license audit trail (the ledger), newest first',
    query: auditQuerySchema,
    response: auditPageSchema,
  })
  async audit(@Query() query: AuditQuery) {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    const page = await this.ledger.page(filter, toPageRequest(query));
    return { items: page.items.map(toLedgerEntryResponse), nextCursor: page.nextCursor };
  }
}
