/** What the Keycloak adapter needs, taken from IdentityConfig when KEYCLOAK_URL is set. */
export interface KeycloakSettings {
  /** Keycloak's base URL, e.g. `http://127.0.0.1:18080` (no `/realms/...`). */
  url: string;
  /** The realm whose clients the platform manages and whose tokens services accept. */
  realm: string;
  /** The realm the admin user logs into (`master` for Keycloak's bootstrap admin). */
  adminRealm: string;
  adminUser: string;
  adminPassword: string;
  /** The audience services check (OIDC_AUDIENCE), added to every token by a mapper. */
  audience: string;
  /** Per admin request. */
  timeoutMs: number;
}

export function realmUrl(settings: Pick<KeycloakSettings, 'url' | 'realm'>): string {
  return `${settings.url.replace(/\/$/, '')}/realms/${encodeURIComponent(settings.realm)}`;
}
