import type { TokenProvider } from '@keycloak/keycloak-admin-client/lib/client.js';
import { z } from 'zod';
import { IdentityProviderUnavailableError } from '../identity-provider.errors.js';
import { realmUrl, type KeycloakSettings } from './keycloak.settings.js';

const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/** Renew this long before expiry, so a request never leaves with a token that dies on the way. */
const RENEW_MARGIN_MS = 15_000;

/**
 * Admin access tokens for the admin client. Logs in again whenever the token is about to expire
 * instead of using refresh tokens: the admin client's own refresh stops working once the admin
 * session's idle timeout passes, and this process may sit idle far longer.
 */
export class KeycloakAdminTokenProvider implements TokenProvider {
  private token: { value: string; renewAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(private readonly settings: KeycloakSettings) {}

  async getAccessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    this.inflight ??= this.login().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets the token, e.g. after Keycloak answered 401 (restarted, session revoked). */
  invalidate(): void {
    this.token = null;
  }

  private async login(): Promise<string> {
    const endpoint = `${realmUrl({ url: this.settings.url, realm: this.settings.adminRealm })}/protocol/openid-connect/token`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 'admin-cli',
          username: this.settings.adminUser,
          password: this.settings.adminPassword,
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new IdentityProviderUnavailableError('keycloak admin login', error);
    }
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = tokenResponseSchema.safeParse(body);
    if (!response.ok || !parsed.success) {
      throw new IdentityProviderUnavailableError('keycloak admin login', new Error(`HTTP ${response.status}`));
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    this.token = {
      value: parsed.data.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2),
    };
    return parsed.data.access_token;
  }
}
