import { DomainError, type DomainErrorKind } from '@flexgalaxy/contracts';

/**
 * hawkBit could not be reached, timed out or failed (5xx), or refused our own credentials. The
 * cause stays in the logs (it may name internal hosts); the message names hawkBit.
 */
export class HawkbitUnavailableError extends DomainError {
  readonly code = 'HAWKBIT.UNAVAILABLE';
  readonly kind = 'unavailable' as const;

  constructor(operation: string, cause?: unknown) {
    super(`hawkBit update server unavailable during ${operation}`, { backend: 'hawkbit', operation });
    this.cause = cause;
  }
}

/** hawkBit refused a well-formed request (4xx): its error code and message are the reason. */
export class HawkbitRejectedError extends DomainError {
  readonly code = 'HAWKBIT.REJECTED';
  readonly kind: DomainErrorKind;

  constructor(
    operation: string,
    readonly status: number,
    reason: { errorCode?: string; message?: string },
  ) {
    super(`hawkBit refused ${operation} (HTTP ${status}): ${reason.message ?? 'no reason given'}`, {
      backend: 'hawkbit',
      operation,
      status,
      ...(reason.errorCode ? { errorCode: reason.errorCode } : {}),
    });
    this.kind = status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'invalid_input';
  }
}
