import { DomainError } from '@flexgalaxy/contracts';

/** No live client has this id (never created, or deleted). */
export class IdentityClientNotFoundError extends DomainError {
  readonly code = 'IDENTITY.CLIENT_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(clientId: string) {
    super(`identity client ${clientId} not found`, { clientId });
  }
}

/** A client with this id already exists. */
export class IdentityClientConflictError extends DomainError {
  readonly code = 'IDENTITY.CLIENT_EXISTS';
  readonly kind = 'conflict' as const;

  constructor(clientId: string) {
    super(`identity client ${clientId} already exists`, { clientId });
  }
}

/** A client id, account id or permission does not have the expected shape. */
export class InvalidIdentityClientError extends DomainError {
  readonly code = 'IDENTITY.INVALID_CLIENT';
  readonly kind = 'invalid_input' as const;

  constructor(issues: { path: string; message: string }[]) {
    super(`invalid identity client: ${issues.map((issue) => `${issue.path} ${issue.message}`).join(', ')}`, { issues });
  }
}

/**
 * The identity backend (database or Keycloak) did not answer or failed. The cause stays in the
 * logs: its message may name internal hosts.
 */
export class IdentityProviderUnavailableError extends DomainError {
  readonly code = 'IDENTITY.PROVIDER_UNAVAILABLE';
  readonly kind = 'unavailable' as const;

  constructor(operation: string, cause?: unknown) {
    super(`identity provider unavailable during ${operation}`);
    this.cause = cause;
  }
}
