import { z } from 'zod';

/** The OAuth2 issuer whose bearer tokens the service accepts (embedded issuer or Keycloak realm). */
export const authConfigSchema = z.object({
  OIDC_ISSUER_URL: z.url(),
  /** Defaults to `<issuer>/.well-known/openid-configuration`'s jwks_uri. */
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).default('flexgalaxy-api'),
  /** This service's own client, for calls to other services (unset: the in-process issuer provides one). */
  SERVICE_CLIENT_ID: z.string().min(1).optional(),
  SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Defaults to `<OIDC_ISSUER_URL>/token` (the embedded issuer's path); set it for Keycloak. */
  SERVICE_TOKEN_ENDPOINT: z.url().optional(),
});

export type AuthConfig = z.output<typeof authConfigSchema>;
