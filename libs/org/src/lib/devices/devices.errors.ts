import { DomainError } from '@flexgalaxy/contracts';

/**
 * No such device, or one outside the caller's subtree (a sibling's, an ancestor's): the same
 * answer, body for body, so a probe cannot tell the two apart.
 */
export class DeviceNotFoundError extends DomainError {
  readonly code = 'DEVICE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string) {
    super('device not found', { deviceId });
  }
}
