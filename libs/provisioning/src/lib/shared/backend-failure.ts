import { DomainError } from '@flexgalaxy/contracts';

/** The three systems a device lives in besides provisioning (seed 002 "Backend System Registration"). */
export type BackendSystem = 'device-registry' | 'ota' | 'identity';

/**
 * A backend failed mid-operation; what had been done was undone (compensated in reverse order), so
 * the device is as it was. `details.system` names the system that failed.
 */
export class BackendFailedError extends DomainError {
  readonly code = 'PROVISIONING.BACKEND_FAILED';
  readonly kind = 'unavailable' as const;

  constructor(
    readonly system: BackendSystem,
    operation: string,
    cause: unknown,
    compensation: { undone: string[]; failed: string[] },
  ) {
    super(`${system} failed during ${operation}; the operation was rolled back`, {
      system,
      operation,
      backendCode: cause instanceof DomainError ? cause.code : undefined,
      undone: compensation.undone,
      ...(compensation.failed.length > 0 ? { compensationFailed: compensation.failed } : {}),
    });
    this.cause = cause;
  }
}
