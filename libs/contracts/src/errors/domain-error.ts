/** How a domain error maps onto a transport: the global filter turns `kind` into an HTTP status. */
export type DomainErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'invalid_state'
  | 'unavailable';

/**
 * Base of every typed error the services raise. `code` is stable (clients branch on it),
 * `details` must be safe to show to the caller: never another tenant's data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
