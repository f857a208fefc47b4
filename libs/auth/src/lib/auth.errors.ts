import { DomainError } from '@flexgalaxy/contracts';

/** The bearer token is missing, malformed, expired, or not from the trusted issuer. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'AUTH.UNAUTHENTICATED';
  readonly kind = 'unauthenticated' as const;
}

/** The caller is authenticated but lacks a permission the operation needs. */
export class PermissionDeniedError extends DomainError {
  readonly code = 'AUTH.FORBIDDEN';
  readonly kind = 'forbidden' as const;

  constructor(permission: string) {
    super(`missing permission ${permission}`, { permission });
  }
}
