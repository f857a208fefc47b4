import { Inject, Injectable } from '@nestjs/common';
import { canWrite, readScope, type Principal, type Viewer } from '@flexgalaxy/auth';
import { AccountDirectory } from '../accounts/account-directory.js';
import { AccountNotFoundError } from '../accounts/accounts.errors.js';
import type { CountedPage, PageRequest } from '@flexgalaxy/service-kit';
import { DeviceNotFoundError } from './devices.errors.js';
import { DevicesRepository } from './devices.repository.js';
import type { DeviceCounts, DeviceFilter, DeviceRecord } from './domain/device.js';

/** A device as one viewer sees it: read-only when it belongs to a descendant account. */
export interface VisibleDevice extends DeviceRecord {
  readOnly: boolean;
}

/** DeviceAdmin's fleet view (seed 000 §5 visibility table): own devices and descendants', read-only. */
@Injectable()
export class DeviceAdminService {
  constructor(
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(AccountDirectory) private readonly directory: AccountDirectory,
  ) {}

  async list(principal: Principal, filter: DeviceFilter, page: PageRequest): Promise<CountedPage<VisibleDevice>> {
    const viewer = await this.directory.viewerOf(principal);
    const found = await this.devices.listVisible(readScope(viewer), filter, page);
    return { ...found, items: found.items.map((device) => this.asSeenBy(viewer, device)) };
  }

  async get(principal: Principal, deviceId: string): Promise<VisibleDevice> {
    const viewer = await this.directory.viewerOf(principal);
    const device = await this.devices.findVisible(readScope(viewer), deviceId);
    if (!device) throw new DeviceNotFoundError(deviceId);
    return this.asSeenBy(viewer, device);
  }

  async countFor(principal: Principal, accountId: string): Promise<DeviceCounts & { accountId: string }> {
    const viewer = await this.directory.viewerOf(principal);
    const account = await this.directory.findVisible(viewer, accountId);
    if (!account) throw new AccountNotFoundError(accountId);
    return { accountId: account.id, ...(await this.devices.countFor(readScope(viewer), account)) };
  }

  private asSeenBy(viewer: Viewer, device: DeviceRecord): VisibleDevice {
    return { ...device, readOnly: !canWrite(viewer, device.ownerAccountId) };
  }
}
