import { DomainError } from '@flexgalaxy/contracts';

/** No such service user in this account (or an account the caller may not see). */
export class ServiceUserNotFoundError extends DomainError {
  readonly code = 'SERVICE_USER.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(clientId: string) {
    super('service user not found', { clientId });
  }
}

/**
 * The caller asked for permissions it may not hand out: a service user never gets more than the
 * principal creating it holds, and never the platform administrator role.
 */
export class PermissionsNotGrantableError extends DomainError {
  readonly code = 'SERVICE_USER.PERMISSIONS_NOT_GRANTABLE';
  readonly kind = 'forbidden' as const;

  constructor(permissions: readonly string[]) {
    super(`cannot grant ${permissions.join(', ')}`, { permissions: [...permissions] });
  }
}
