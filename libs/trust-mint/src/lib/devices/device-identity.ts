import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { DevicesRepository } from './devices.repository.js';
import type { TrustMintDevice } from './domain/device.js';

/**
 * Recognises a device calling with its M2M token. Provisioning names each device's M2M client
 * after the device (the identity port's `clientId`), so the token's subject is the device id and
 * its `account_id` the owner's account; both must match what device.* events told TrustMint.
 */
@Injectable()
export class DeviceIdentity {
  constructor(@Inject(DevicesRepository) private readonly devices: DevicesRepository) {}

  /** The calling device, or null when the token is not a current device's own. */
  async deviceOf(principal: Principal): Promise<TrustMintDevice | null> {
    return this.devices.findOwned(principal.accountId, principal.subject);
  }
}
