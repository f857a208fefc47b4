import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@flexgalaxy/contracts';
import type { Entitlement } from '../core/entitlement.js';
import { DeviceIdentity } from '../devices/device-identity.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { TrustMintDeviceNotFoundError } from '../licenses/licenses.errors.js';
import { LicenseAuthority } from '../pki/license-authority.js';
import { NotADeviceError } from './issuance.errors.js';
import type { DeviceReport } from './policy-issuance.service.js';

class InvalidDeviceKeyError extends DomainError {
  readonly code = 'ISSUANCE.INVALID_PUBLIC_KEY';
  readonly kind = 'invalid_input' as const;

  constructor() {
    super('publicKeyPem must be a P-256 public key in SPKI PEM form', { field: 'publicKeyPem' });
  }
}

/** Which device is reporting: the caller itself (M2M token), or the one a platform admin names. */
@Injectable()
export class DeviceReporter {
  constructor(
    @Inject(DeviceIdentity) private readonly identity: DeviceIdentity,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
  ) {}

  async reportOf(
    entitlement: Entitlement,
    body: { softwareId: string; softwareVersion?: string; deviceId?: string },
  ): Promise<DeviceReport> {
    if (entitlement.kind === 'admin') {
      if (!body.deviceId) throw new NotADeviceError();
      const device = await this.devices.find(body.deviceId);
      if (!device) throw new TrustMintDeviceNotFoundError(body.deviceId);
      return {
        deviceId: device.id,
        accountId: device.accountId,
        softwareId: body.softwareId,
        softwareVersion: body.softwareVersion ?? null,
      };
    }
    const device = await this.identity.deviceOf(entitlement.principal);
    // A device may not speak for another device; an account token is not a device at all.
    if (!device || (body.deviceId !== undefined && body.deviceId !== device.id)) throw new NotADeviceError();
    return {
      deviceId: device.id,
      accountId: device.accountId,
      softwareId: body.softwareId,
      softwareVersion: body.softwareVersion ?? null,
    };
  }

  deviceKey(pem: string | undefined): KeyObject | undefined {
    if (pem === undefined) return undefined;
    const key = LicenseAuthority.parseDeviceKey(pem);
    if (!key) throw new InvalidDeviceKeyError();
    return key;
  }
}
