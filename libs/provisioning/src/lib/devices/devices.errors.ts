import { DomainError } from '@flexgalaxy/contracts';
import type { LifecycleCommand, LifecycleState } from './domain/lifecycle.js';

/** No such device, or one the caller may not see: the same answer. */
export class DeviceNotFoundError extends DomainError {
  readonly code = 'DEVICE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string) {
    super('device not found', { deviceId });
  }
}

/** The caller sees the device through its hierarchy (read-only) but does not own it. */
export class DeviceReadOnlyError extends DomainError {
  readonly code = 'DEVICE.READ_ONLY';
  readonly kind = 'forbidden' as const;

  constructor(deviceId: string) {
    super('the device is visible to the caller read-only; only its owner may change it', { deviceId });
  }
}

/** The lifecycle (seed 002) does not allow this operation in the device's current state. */
export class IllegalTransitionError extends DomainError {
  readonly code = 'DEVICE.ILLEGAL_TRANSITION';
  readonly kind = 'invalid_state' as const;

  constructor(deviceId: string, currentState: LifecycleState, command: LifecycleCommand) {
    super(`cannot ${command.replaceAll('_', ' ')} a device in state ${currentState}`, {
      deviceId,
      currentState,
      command,
    });
  }
}

/** A live device with this manufacturer and serial exists already. */
export class DeviceAlreadyEnrolledError extends DomainError {
  readonly code = 'DEVICE.ALREADY_ENROLLED';
  readonly kind = 'conflict' as const;

  constructor(manufacturer: string, serial: string, deviceId?: string) {
    super(`a device ${serial} of ${manufacturer} is already enrolled`, {
      manufacturer,
      serial,
      ...(deviceId ? { deviceId } : {}),
    });
  }
}

/** Why an enrollment's identity proof was refused (recorded as a Rejected history entry). */
export type IdentityRejection =
  | 'no_identity_proof'
  | 'no_client_certificate'
  | 'untrusted_certificate_forwarder'
  | 'malformed_certificate'
  | 'not_a_device_certificate'
  | 'unknown_ca'
  | 'ca_revoked'
  | 'ca_expired'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'missing_identity'
  | 'manufacturer_mismatch'
  | 'serial_mismatch'
  | 'unknown_token'
  | 'token_kind_mismatch';

/**
 * The device's identity proof was refused; `reason` is the machine-readable cause, `deviceId` the
 * record that holds the Rejected entry (GET /provisioning/v1/devices/{deviceId}).
 */
export class IdentityRejectedError extends DomainError {
  readonly code = 'ENROLLMENT.IDENTITY_REJECTED';
  readonly kind = 'forbidden' as const;

  constructor(reason: IdentityRejection, message: string, deviceId: string | null) {
    super(message, { reason, ...(deviceId ? { deviceId } : {}) });
  }
}

/** The transfer target is the device's current owner. */
export class SameAccountTransferError extends DomainError {
  readonly code = 'TRANSFER.SAME_ACCOUNT';
  readonly kind = 'invalid_input' as const;

  constructor(accountId: string) {
    super('the device already belongs to the target account', { targetAccountId: accountId });
  }
}

/** The transfer target account is not known to provisioning (org never announced it). */
export class TargetAccountNotFoundError extends DomainError {
  readonly code = 'ACCOUNT.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(accountId: string) {
    super('target account not found', { targetAccountId: accountId });
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  readonly kind = 'conflict' as const;

  constructor() {
    super('this Idempotency-Key was used with a different request');
  }
}

export class IdempotencyInProgressError extends DomainError {
  readonly code = 'IDEMPOTENCY.IN_PROGRESS';
  readonly kind = 'conflict' as const;

  constructor() {
    super('a request with this Idempotency-Key is still being processed; retry later');
  }
}

export class InvalidIdempotencyKeyError extends DomainError {
  readonly code = 'REQUEST.INVALID';
  readonly kind = 'invalid_input' as const;

  constructor() {
    super('invalid request', {
      issues: [{ path: 'headers.idempotency-key', message: 'must be 1-255 visible ASCII characters' }],
    });
  }
}
