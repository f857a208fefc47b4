import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { OtaPermission } from '../ota-forge.permissions.js';
import {
  actionListResponseSchema,
  listActionsQuerySchema,
  softwareReportQuerySchema,
  softwareReportResponseSchema,
  toActionListResponse,
  toSoftwareReportResponse,
  type ActionListResponse,
  type ListActionsQuery,
  type SoftwareReportQuery,
  type SoftwareReportResponse,
} from './actions.dto.js';
import { ActionsService } from './actions.service.js';

@ApiTags('ota-actions')
@Controller('ota/v1')
@Authenticated(OtaPermission.read)
export class ActionsController {
  constructor(@Inject(ActionsService) private readonly actions: ActionsService) {}

  @Get('actions')
  @Endpoint({
    summary: "A device's OTA actions and their status history (its owner)",
    query: listActionsQuerySchema,
    response: actionListResponseSchema,
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListActionsQuery): Promise<ActionListResponse> {
    return toActionListResponse(await this.actions.forDevice(principal, query.deviceId));
  }

  @Get('reports/software')
  @Endpoint({
    summary: "A listing's deployment aggregates: matched, downloading, installed, failed, daily trend",
    query: softwareReportQuerySchema,
    response: softwareReportResponseSchema,
  })
  async software(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SoftwareReportQuery,
  ): Promise<SoftwareReportResponse> {
    const version = query.version ?? null;
    return toSoftwareReportResponse(
      query.listingId,
      version,
      await this.actions.softwareReport(principal, query.listingId, version),
    );
  }
}
