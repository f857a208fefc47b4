import { z } from 'zod';

const optionalText = z.string().min(1).optional();

/**
 * DotID settings. KEYCLOAK_URL picks the Keycloak adapter; without it the embedded OIDC issuer
 * runs in-process and serves its endpoints under OIDC_ISSUER_PATH.
 */
export const identityConfigSchema = z
  .object({
    /** The tokens' `iss`, e.g. `http://127.0.0.1:8080/oidc` (embedded) or the Keycloak realm URL. */
    OIDC_ISSUER_URL: z.url(),
    OIDC_AUDIENCE: z.string().min(1).default('flexgalaxy-api'),
    /**
     * Where the embedded issuer's routes are mounted. Defaults to the path of OIDC_ISSUER_URL
     * (`/oidc` for the platform), so discovery is found at `<issuer>/.well-known/…`; set it only
     * when a proxy rewrites paths.
     */
    OIDC_ISSUER_PATH: z
      .string()
      .regex(/^\/[\w./-]*$/, 'must be an absolute URL path')
      .optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    KEYCLOAK_URL: z.url().optional(),
    KEYCLOAK_REALM: optionalText,
    /** Realm the admin user logs into (Keycloak's bootstrap admin lives in `master`). */
    KEYCLOAK_ADMIN_REALM: z.string().min(1).default('master'),
    KEYCLOAK_ADMIN_USER: optionalText,
    KEYCLOAK_ADMIN_PASSWORD: optionalText,
    PLATFORM_ADMIN_CLIENT_ID: optionalText,
    PLATFORM_ADMIN_CLIENT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BOOTSTRAP_CREDENTIALS_FILE: z.string().min(1).default('.data/bootstrap-admin.json'),
  })
  .superRefine((config, context) => {
    if (config.KEYCLOAK_URL) {
      for (const name of ['KEYCLOAK_REALM', 'KEYCLOAK_ADMIN_USER', 'KEYCLOAK_ADMIN_PASSWORD'] as const) {
        if (!config[name])
          context.addIssue({ code: 'custom', path: [name], message: 'required when KEYCLOAK_URL is set' });
      }
    }
    if (config.PLATFORM_ADMIN_CLIENT_SECRET && !config.PLATFORM_ADMIN_CLIENT_ID) {
      context.addIssue({
        code: 'custom',
        path: ['PLATFORM_ADMIN_CLIENT_ID'],
        message: 'required with PLATFORM_ADMIN_CLIENT_SECRET',
      });
    }
  })
  .transform((config) => ({
    ...config,
    OIDC_ISSUER_PATH: config.OIDC_ISSUER_PATH ?? (new URL(config.OIDC_ISSUER_URL).pathname.replace(/\/$/, '') || '/'),
  }));

export type IdentityConfig = z.output<typeof identityConfigSchema>;

/** The embedded issuer's endpoints, derived from its issuer URL (never from a request's Host). */
export function embeddedIssuerEndpoints(issuerUrl: string) {
  const base = issuerUrl.replace(/\/$/, '');
  return {
    discovery: `${base}/.well-known/openid-configuration`,
    token: `${base}/token`,
    jwks: `${base}/jwks`,
  };
}
