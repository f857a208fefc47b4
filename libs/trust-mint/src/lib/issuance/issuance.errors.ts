import { DomainError } from '@flexgalaxy/contracts';

/** TrustMint has not seen this listing published (yet): nothing to license. */
export class SoftwareNotFoundError extends DomainError {
  readonly code = 'SOFTWARE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(softwareId: string) {
    super('no published listing with this software id', { softwareId });
  }
}

/** The listing's license issuance policy does not issue on this trigger (seed 000 §4). */
export class TriggerMismatchError extends DomainError {
  readonly code = 'ISSUANCE.TRIGGER_MISMATCH';
  readonly kind = 'invalid_state' as const;

  constructor(softwareId: string, expected: string, policyTrigger: string) {
    super(`this software's licenses are issued ${policyTrigger}, not ${expected}`, {
      softwareId,
      trigger: policyTrigger,
    });
  }
}

/** Only the device itself (its M2M token) may activate or report a validation; a platform admin must name the device. */
export class NotADeviceError extends DomainError {
  readonly code = 'ISSUANCE.DEVICE_TOKEN_REQUIRED';
  readonly kind = 'forbidden' as const;

  constructor() {
    super("call with the device's own M2M token (its subject is the device id)");
  }
}
