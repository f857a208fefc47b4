import { PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';

export interface Grantor {
  permissions: ReadonlySet<string>;
  isPlatformAdmin: boolean;
}

/**
 * What an account may grant its service users is what the granting principal itself holds for
 * it (no escalation through a machine client); a platform admin, acting for any account, may
 * grant any account-level permission. The cross-account admin role is never grantable: seed 001
 * keeps it to BoardingPass / DeckLoader operators. Returns the requested permissions that fail.
 */
export function notGrantable(requested: readonly string[], grantor: Grantor): string[] {
  return requested.filter(
    (permission) =>
      permission === PLATFORM_ADMIN_PERMISSION || (!grantor.isPlatformAdmin && !grantor.permissions.has(permission)),
  );
}
