import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, PLATFORM_ADMIN_PERMISSION, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, Entitled, EntitledOrDevice, type Entitlement } from '../core/entitlement.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { TrustMintPermission as P } from '../core/trust-mint.permissions.js';
import {
  deviceLicenseParamsSchema,
  deviceLicenseQuerySchema,
  licenseHistoryResponseSchema,
  licenseIdParamsSchema,
  licensePageResponseSchema,
  licenseResponseSchema,
  licenseStatusResponseSchema,
  listLicensesQuerySchema,
  revokeLicenseBodySchema,
  toLedgerEntryResponse,
  toLicensePageResponse,
  toLicenseResponse,
  toLicenseStatusResponse,
  type DeviceLicenseParams,
  type DeviceLicenseQuery,
  type LicenseIdParams,
  type LicensePageResponse,
  type LicenseResponse,
  type LicenseStatusResponse,
  type ListLicensesQuery,
  type RevokeLicenseBody,
} from './licenses.dto.js';
import { LicensesService } from './licenses.service.js';

// seed 001: License Managers read licenses (licenses.read); Device Manufacturers see theirs in
// ThingHub's Licenses tab with certificate and token details (certificates.read).
const READ_LICENSES = [P.licensesRead, P.certificatesRead];

@ApiTags('entitlements: licenses')
@Controller('entitlements/v1')
export class LicensesController {
  constructor(@Inject(LicensesService) private readonly licenses: LicensesService) {}

  @Get('licenses')
  @Entitled(...READ_LICENSES)
  @Endpoint({
    summary: "The caller's account's licenses (platform admins: all)",
    query: listLicensesQuerySchema,
    response: licensePageResponseSchema,
  })
  async list(
    @CurrentEntitlement() entitlement: Entitlement,
    @Query() query: ListLicensesQuery,
  ): Promise<LicensePageResponse> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return toLicensePageResponse(await this.licenses.list(entitlement, filter, toPageRequest(query)));
  }

  @Get('licenses/:id')
  @Entitled(...READ_LICENSES)
  @Endpoint({
    summary: 'One license with its certificate and JWT',
    params: licenseIdParamsSchema,
    response: licenseResponseSchema,
  })
  async get(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: LicenseIdParams,
  ): Promise<LicenseResponse> {
    return toLicenseResponse(await this.licenses.get(entitlement, params.id));
  }

  @Get('licenses/:id/history')
  @Entitled(...READ_LICENSES)
  @Endpoint({
    summary: "One license's ledger entries, oldest first",
    params: licenseIdParamsSchema,
    response: licenseHistoryResponseSchema,
  })
  async history(@CurrentEntitlement() entitlement: Entitlement, @Param() params: LicenseIdParams) {
    return { items: (await this.licenses.history(entitlement, params.id)).map(toLedgerEntryResponse) };
  }

  @Get('licenses/:id/status')
  @EntitledOrDevice(...READ_LICENSES)
  @Endpoint({
    summary: 'Is this license valid, revoked or expired? For the device itself (M2M token) or its account',
    params: licenseIdParamsSchema,
    response: licenseStatusResponseSchema,
  })
  async status(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: LicenseIdParams,
  ): Promise<LicenseStatusResponse> {
    return toLicenseStatusResponse(await this.licenses.status(entitlement, params.id));
  }

  @Get('devices/:deviceId/license-status')
  @EntitledOrDevice(...READ_LICENSES)
  @Endpoint({
    summary: "The device's best license for a software (valid OFFICIAL first), and whether it is valid",
    params: deviceLicenseParamsSchema,
    query: deviceLicenseQuerySchema,
    response: licenseStatusResponseSchema,
  })
  async deviceStatus(
    @CurrentEntitlement() entitlement: Entitlement,
    @Param() params: DeviceLicenseParams,
    @Query() query: DeviceLicenseQuery,
  ): Promise<LicenseStatusResponse> {
    return toLicenseStatusResponse(await this.licenses.statusForDevice(entitlement, params.deviceId, query.softwareId));
  }

  @Post('licenses/:id/revoke')
  @Authenticated(PLATFORM_ADMIN_PERMISSION)
  @Endpoint({
    summary: 'Revoke a license (platform admins, BoardingPass); revoking it again changes nothing',
    params: licenseIdParamsSchema,
    body: revokeLicenseBodySchema,
    response: licenseResponseSchema,
    status: 200,
  })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param() params: LicenseIdParams,
    @Body() body: RevokeLicenseBody,
  ): Promise<LicenseResponse> {
    return toLicenseResponse(await this.licenses.revoke(principal, params.id, body.reason));
  }
}
