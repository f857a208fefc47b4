import { DomainError } from '@flexgalaxy/contracts';

/** The OTA backend has no target with this controller id. */
export class OtaTargetNotFoundError extends DomainError {
  readonly code = 'OTA_TARGETS.TARGET_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(controllerId: string) {
    super(`OTA target ${controllerId} not found`, { controllerId });
  }
}

/** The OTA backend refused a well-formed request (its validation message is the reason). */
export class OtaTargetRejectedError extends DomainError {
  readonly code = 'OTA_TARGETS.REJECTED';
  readonly kind = 'invalid_input' as const;

  constructor(operation: string, status: number, reason: string) {
    super(`OTA backend refused ${operation} (HTTP ${status}): ${reason}`, { operation, status, reason });
  }
}

/**
 * The OTA backend could not be reached, failed (5xx), or refused our own service token. The cause
 * stays in the logs: it may name internal hosts.
 */
export class OtaBackendUnavailableError extends DomainError {
  readonly code = 'OTA_TARGETS.UNAVAILABLE';
  readonly kind = 'unavailable' as const;

  constructor(operation: string, cause?: unknown) {
    super(`OTA backend unavailable during ${operation}`);
    this.cause = cause;
  }
}
