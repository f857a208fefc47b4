/** Permission that crosses every account boundary (BoardingPass / DeckLoader operators). */
export const PLATFORM_ADMIN_PERMISSION = 'platform.admin';

/** Who is calling, as proven by a bearer token: a person, a service user or a device's M2M client. */
export interface Principal {
  /** The token's subject (client id for service users and M2M clients). */
  subject: string;
  /** The account the caller acts for. */
  accountId: string;
  permissions: ReadonlySet<string>;
  /**
   * The roles the caller's account declared (seed 001: `trust-mint:DEVICE_MANUFACTURER`, …), from
   * the `roles` claim; empty when the token carries none.
   */
  roles: ReadonlySet<string>;
  isPlatformAdmin: boolean;
}

/** Claim names carried by every access token the platform accepts. */
export const ACCOUNT_ID_CLAIM = 'account_id';
export const PERMISSIONS_CLAIM = 'permissions';
/** The account's declared roles: set by the identity provider's role mapping, absent when there are none. */
export const ROLES_CLAIM = 'roles';
