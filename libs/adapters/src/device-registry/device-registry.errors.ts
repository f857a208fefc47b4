import { DomainError } from '@flexgalaxy/contracts';

/** No device with this id is registered (never registered, or decommissioned). */
export class DeviceNotFoundError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.DEVICE_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(deviceId: string) {
    super(`device ${deviceId} is not registered`, { deviceId });
  }
}

/** A device with this id is already registered; the platform's device ids are unique everywhere. */
export class DeviceAlreadyRegisteredError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.DEVICE_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;

  constructor(deviceId: string) {
    super(`device ${deviceId} is already registered`, { deviceId });
  }
}

/** An argument does not have the expected shape (blank id, blank attribute key …). */
export class InvalidDeviceRegistryInputError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.INVALID_INPUT';
  readonly kind = 'invalid_input' as const;

  constructor(issues: { path: string; message: string }[]) {
    super(`invalid device registry input: ${issues.map((issue) => `${issue.path} ${issue.message}`).join(', ')}`, {
      issues,
    });
  }
}

/**
 * The registry backend (database or ThingsBoard) did not answer, failed, or refused our own
 * credentials. The cause stays in the logs: its message may name internal hosts.
 */
export class DeviceRegistryUnavailableError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.UNAVAILABLE';
  readonly kind = 'unavailable' as const;

  constructor(operation: string, cause?: unknown) {
    super(`device registry unavailable during ${operation}`);
    this.cause = cause;
  }
}

/**
 * The backend refused a well-formed request for a reason the adapter does not anticipate (e.g. a
 * value ThingsBoard's validation rejects). `reason` is the backend's own validation message.
 */
export class DeviceRegistryRejectedError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.REJECTED';
  readonly kind = 'invalid_input' as const;

  constructor(operation: string, reason: string) {
    super(`device registry refused ${operation}: ${reason}`, { operation, reason });
  }
}
