import { z } from 'zod';

/** The OAuth2 issuer whose bearer tokens the service accepts (embedded issuer or Keycloak realm). */
export const authConfigSchema = z.object({
  OIDC_ISSUER_URL: z.url(),
  /** Defaults to `<issuer>/.well-known/openid-configuration`'s jwks_uri. */
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).default('flexgalaxy-api'),
});

export type AuthConfig = z.output<typeof authConfigSchema>;
