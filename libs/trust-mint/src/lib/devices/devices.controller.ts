import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, Entitled, type Entitlement } from '../core/entitlement.js';
import { pageQueryShape, pageResponseSchema, toPageRequest } from '@flexgalaxy/service-kit';
import { TrustMintPermission } from '../core/trust-mint.permissions.js';
import { TrustMintDeviceNotFoundError } from '../licenses/licenses.errors.js';
import { DevicesRepository } from './devices.repository.js';
import type { TrustMintDevice } from './domain/device.js';

const deviceResponseSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    enrolledAccountId: z.string(),
    state: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    enrolledAt: z.iso.datetime(),
  })
  .meta({ id: 'EnrolledDevice' });
type DeviceResponse = z.output<typeof deviceResponseSchema>;
const devicePageSchema = pageResponseSchema(deviceResponseSchema, 'EnrolledDevicePage');
const listQuerySchema = z.object({ ...pageQueryShape, accountId: z.string().min(1).max(200).optional() });
const idParamsSchema = z.object({ id: z.string().min(1).max(200) });

function toDeviceResponse(device: TrustMintDevice): DeviceResponse {
  return {
    id: device.id,
    accountId: device.accountId,
    enrolledAccountId: device.enrolledAccountId,
    state: device.state,
    attributes: device.attributes,
    enrolledAt: device.enrolledAt.toISOString(),
  };
}

/** ThingHub's Devices tab, as TrustMint knows it: enrolled devices the account owns now. */
@ApiTags('entitlements: devices')
@Controller('entitlements/v1/devices')
@Entitled(TrustMintPermission.devicesRead)
export class DevicesController {
  constructor(@Inject(DevicesRepository) private readonly devices: DevicesRepository) {}

  @Get()
  @Endpoint({
    summary: "Devices the caller's account owns (platform admins: all, or one account's)",
    query: listQuerySchema,
    response: devicePageSchema,
  })
  async list(@CurrentEntitlement() entitlement: Entitlement, @Query() query: z.output<typeof listQuerySchema>) {
    const accountId = entitlement.kind === 'admin' ? (query.accountId ?? null) : entitlement.principal.accountId;
    const page = await this.devices.listOwned(accountId, toPageRequest(query));
    return { items: page.items.map(toDeviceResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Endpoint({ summary: 'One device the caller owns', params: idParamsSchema, response: deviceResponseSchema })
  async get(@CurrentEntitlement() entitlement: Entitlement, @Param() params: z.output<typeof idParamsSchema>) {
    const device =
      entitlement.kind === 'admin'
        ? await this.devices.find(params.id)
        : await this.devices.findOwned(entitlement.principal.accountId, params.id);
    if (!device) throw new TrustMintDeviceNotFoundError(params.id);
    return toDeviceResponse(device);
  }
}
