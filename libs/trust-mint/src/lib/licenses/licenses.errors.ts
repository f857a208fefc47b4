import { DomainError } from '@flexgalaxy/contracts';

/** No such license, or one the caller may not see: the same answer, so existence never leaks. */
export class LicenseNotFoundError extends DomainError {
  readonly code = 'LICENSE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(licenseId: string) {
    super('license not found', { licenseId });
  }
}

/** A superseded TRIAL cannot be revoked: the OFFICIAL license that replaced it is what entitles. */
export class LicenseNotRevocableError extends DomainError {
  readonly code = 'LICENSE.NOT_REVOCABLE';
  readonly kind = 'invalid_state' as const;

  constructor(licenseId: string, status: string) {
    super(`a ${status} license cannot be revoked`, { licenseId, status });
  }
}

/** No license for this device and software that the caller may see. */
export class NoLicenseForDeviceError extends DomainError {
  readonly code = 'LICENSE.NONE_FOR_DEVICE';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string, softwareId: string) {
    super('no license for this device and software', { deviceId, softwareId });
  }
}

/** No such device, or one the caller does not own: the same answer. */
export class TrustMintDeviceNotFoundError extends DomainError {
  readonly code = 'DEVICE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string) {
    super('device not found', { deviceId });
  }
}
