import { deviceTypeSchema, lifecycleStateSchema } from '@flexgalaxy/contracts';
import { z } from 'zod';
import { pageQueryShape, countedPageResponseSchema, type CountedPage } from '@flexgalaxy/service-kit';
import type { VisibleDevice } from './device-admin.service.js';
import type { DeviceCounts, DeviceFilter } from './domain/device.js';

export const listDevicesQuerySchema = z.object({
  ...pageQueryShape,
  /** Devices owned by exactly this account (which must itself be visible to have any). */
  accountId: z.string().min(1).max(128).optional(),
  type: deviceTypeSchema.optional(),
  model: z.string().min(1).max(128).optional(),
  state: lifecycleStateSchema.optional(),
});
export type ListDevicesQuery = z.output<typeof listDevicesQuerySchema>;

export function toDeviceFilter(query: ListDevicesQuery): DeviceFilter {
  return {
    ...(query.accountId !== undefined ? { ownerAccountId: query.accountId } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.model !== undefined ? { model: query.model } : {}),
    ...(query.state !== undefined ? { state: query.state } : {}),
  };
}

export const deviceIdParamsSchema = z.object({ id: z.string().min(1).max(128) });
export type DeviceIdParams = z.output<typeof deviceIdParamsSchema>;

export const accountIdParamsSchema = z.object({ id: z.uuid() });
export type AccountIdParams = z.output<typeof accountIdParamsSchema>;

export const deviceResponseSchema = z
  .object({
    id: z.string(),
    ownerAccountId: z.string(),
    serial: z.string(),
    type: z.string(),
    model: z.string().nullable(),
    revision: z.string().nullable(),
    manufacturer: z.string(),
    state: lifecycleStateSchema,
    /** True when the device belongs to a descendant account: visible, not the caller's to change. */
    readOnly: z.boolean(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'FleetDevice' });
export type DeviceResponse = z.output<typeof deviceResponseSchema>;

export const devicePageResponseSchema = countedPageResponseSchema(deviceResponseSchema, 'FleetDevicePage');
export type DevicePageResponse = z.output<typeof devicePageResponseSchema>;

export const deviceCountResponseSchema = z
  .object({
    accountId: z.string(),
    /** Devices the account owns itself. */
    owned: z.number().int(),
    /** Devices of the account and every descendant account. */
    total: z.number().int(),
  })
  .meta({ id: 'AccountDeviceCount' });
export type DeviceCountResponse = z.output<typeof deviceCountResponseSchema>;

export function toDeviceResponse(device: VisibleDevice): DeviceResponse {
  return {
    id: device.id,
    ownerAccountId: device.ownerAccountId,
    serial: device.serial,
    type: device.type,
    model: device.model,
    revision: device.revision,
    manufacturer: device.manufacturer,
    state: device.state,
    readOnly: device.readOnly,
    updatedAt: device.updatedAt.toISOString(),
  };
}

export function toDevicePageResponse(page: CountedPage<VisibleDevice>): DevicePageResponse {
  return { items: page.items.map(toDeviceResponse), total: page.total, nextCursor: page.nextCursor };
}

export function toDeviceCountResponse(counts: DeviceCounts & { accountId: string }): DeviceCountResponse {
  return { accountId: counts.accountId, owned: counts.owned, total: counts.total };
}
