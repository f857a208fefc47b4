import { Inject, Injectable } from '@nestjs/common';
import { canWrite, readScope, type Principal } from '@flexgalaxy/auth';
import { AccountDirectory } from '../accounts/account-directory.js';
import { DeviceNotFoundError, DeviceReadOnlyError } from './devices.errors.js';
import { DevicesRepository } from './devices.repository.js';
import type { ProvisionedDevice } from './domain/device.js';

/**
 * Who may see and change a device: its owner and, read-only, the owner's ancestors (seed 000 §5);
 * platform admins everything. Visibility is part of the query; "missing" and "not yours" are one 404.
 */
@Injectable()
export class DeviceAccess {
  constructor(
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
  ) {}

  async readable(principal: Principal, deviceId: string): Promise<ProvisionedDevice> {
    const viewer = await this.accounts.viewerOf(principal);
    const device = await this.devices.findVisible(readScope(viewer), deviceId);
    if (!device) throw new DeviceNotFoundError(deviceId);
    return device;
  }

  /** Only the owning account or a platform admin changes a device (transfer, suspend …). */
  async writable(principal: Principal, deviceId: string): Promise<ProvisionedDevice> {
    const device = await this.readable(principal, deviceId);
    if (!canWrite(principal, device.accountId)) throw new DeviceReadOnlyError(deviceId);
    return device;
  }
}
