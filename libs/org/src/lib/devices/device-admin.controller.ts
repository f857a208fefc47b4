import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { OrgPermission } from '../org.permissions.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import { DeviceAdminService } from './device-admin.service.js';
import {
  accountIdParamsSchema,
  deviceCountResponseSchema,
  deviceIdParamsSchema,
  devicePageResponseSchema,
  deviceResponseSchema,
  listDevicesQuerySchema,
  toDeviceCountResponse,
  toDeviceFilter,
  toDevicePageResponse,
  toDeviceResponse,
  type AccountIdParams,
  type DeviceCountResponse,
  type DeviceIdParams,
  type DevicePageResponse,
  type DeviceResponse,
  type ListDevicesQuery,
} from './devices.dto.js';

@ApiTags('deviceadmin')
@Controller('deviceadmin/v1')
@Authenticated(OrgPermission.devicesRead)
export class DeviceAdminController {
  constructor(@Inject(DeviceAdminService) private readonly fleet: DeviceAdminService) {}

  @Get('devices')
  @Endpoint({
    summary: "Devices the caller owns and, read-only, its descendants' devices",
    query: listDevicesQuerySchema,
    response: devicePageResponseSchema,
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListDevicesQuery): Promise<DevicePageResponse> {
    return toDevicePageResponse(await this.fleet.list(principal, toDeviceFilter(query), toPageRequest(query)));
  }

  @Get('devices/:id')
  @Endpoint({ summary: 'One device the caller may see', params: deviceIdParamsSchema, response: deviceResponseSchema })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: DeviceIdParams): Promise<DeviceResponse> {
    return toDeviceResponse(await this.fleet.get(principal, params.id));
  }

  @Get('accounts/:id/device-count')
  @Endpoint({
    summary: 'How many devices an account owns, and how many its whole subtree holds',
    params: accountIdParamsSchema,
    response: deviceCountResponseSchema,
  })
  async count(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AccountIdParams,
  ): Promise<DeviceCountResponse> {
    return toDeviceCountResponse(await this.fleet.countFor(principal, params.id));
  }
}
