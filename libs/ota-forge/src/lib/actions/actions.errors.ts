import { DomainError } from '@flexgalaxy/contracts';

/** No such device, or another account's: the same answer. */
export class DeviceNotFoundError extends DomainError {
  readonly code = 'DEVICE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string) {
    super('device not found', { deviceId });
  }
}

/** The listing is not the caller's (or unknown): the same answer. */
export class ReportNotFoundError extends DomainError {
  readonly code = 'LISTING.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(listingId: string) {
    super('listing not found', { listingId });
  }
}
