import { loadConfig, InvalidConfigurationError } from '@flexgalaxy/service-kit';
import { identityConfigSchema } from './identity.config.js';

describe('identityConfigSchema', () => {
  it('should default the audience, token lifetime, issuer path and bootstrap file', () => {
    const config = loadConfig(identityConfigSchema, { OIDC_ISSUER_URL: 'http://127.0.0.1:8080/oidc' });

    expect(config).toMatchObject({
      OIDC_AUDIENCE: 'flexgalaxy-api',
      TOKEN_TTL_SECONDS: 3600,
      OIDC_ISSUER_PATH: '/oidc',
      BOOTSTRAP_CREDENTIALS_FILE: '.data/bootstrap-admin.json',
    });
    expect(config.KEYCLOAK_URL).toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:8080/identity/', undefined, '/identity'],
    ['http://127.0.0.1:8080', undefined, '/'],
    ['https://api.example.com/oidc', '/internal/oidc', '/internal/oidc'],
  ])('should mount the issuer of %s (OIDC_ISSUER_PATH=%s) at %s', (issuer, path, expected) => {
    const config = loadConfig(identityConfigSchema, { OIDC_ISSUER_URL: issuer, OIDC_ISSUER_PATH: path });

    expect(config.OIDC_ISSUER_PATH).toBe(expected);
  });

  it('should require the realm and admin credentials with KEYCLOAK_URL', () => {
    const load = () =>
      loadConfig(identityConfigSchema, { OIDC_ISSUER_URL: 'http://kc/realms/x', KEYCLOAK_URL: 'http://kc' });

    expect(load).toThrow(InvalidConfigurationError);
    expect(load).toThrow(/KEYCLOAK_REALM/);
    expect(load).toThrow(/KEYCLOAK_ADMIN_PASSWORD/);
  });

  it('should refuse a short platform admin secret or one without a client id', () => {
    expect(() =>
      loadConfig(identityConfigSchema, {
        OIDC_ISSUER_URL: 'http://a/oidc',
        PLATFORM_ADMIN_CLIENT_ID: 'x',
        PLATFORM_ADMIN_CLIENT_SECRET: 'short',
      }),
    ).toThrow(/PLATFORM_ADMIN_CLIENT_SECRET/);
    expect(() =>
      loadConfig(identityConfigSchema, {
        OIDC_ISSUER_URL: 'http://a/oidc',
        PLATFORM_ADMIN_CLIENT_SECRET: 'x'.repeat(40),
      }),
    ).toThrow(/PLATFORM_ADMIN_CLIENT_ID/);
  });
});
