import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { PlatformAdminBootstrap } from './bootstrap/platform-admin.bootstrap.js';
import { EmbeddedIdentityProvider } from './embedded/embedded-identity-provider.js';
import { EmbeddedIssuerModule } from './embedded/embedded-issuer.module.js';
import { IDENTITY_PROVIDER } from './identity-provider.port.js';
import type { IdentityConfig } from './identity.config.js';
import { IDENTITY_CONFIG } from './identity.tokens.js';
import { KeycloakIdentityProvider } from './keycloak/keycloak-identity-provider.js';

const KEYCLOAK_TIMEOUT_MS = 10_000;

function keycloakProvider(config: IdentityConfig): Provider {
  const { KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_ADMIN_USER, KEYCLOAK_ADMIN_PASSWORD } = config;
  // identityConfigSchema requires these whenever KEYCLOAK_URL is set; this guards hand-made configs.
  if (!KEYCLOAK_URL || !KEYCLOAK_REALM || !KEYCLOAK_ADMIN_USER || !KEYCLOAK_ADMIN_PASSWORD) {
    throw new Error('KEYCLOAK_URL needs KEYCLOAK_REALM, KEYCLOAK_ADMIN_USER and KEYCLOAK_ADMIN_PASSWORD');
  }
  return {
    provide: IDENTITY_PROVIDER,
    useFactory: () =>
      new KeycloakIdentityProvider({
        url: KEYCLOAK_URL,
        realm: KEYCLOAK_REALM,
        adminRealm: config.KEYCLOAK_ADMIN_REALM,
        adminUser: KEYCLOAK_ADMIN_USER,
        adminPassword: KEYCLOAK_ADMIN_PASSWORD,
        audience: config.OIDC_AUDIENCE,
        timeoutMs: KEYCLOAK_TIMEOUT_MS,
      }),
  };
}

/**
 * DotID: provides IDENTITY_PROVIDER to every module (global) and bootstraps the platform admin.
 * KEYCLOAK_URL picks Keycloak; otherwise the embedded issuer runs in this process and serves
 * its endpoints under OIDC_ISSUER_PATH.
 */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    const common: Provider[] = [{ provide: IDENTITY_CONFIG, useValue: config }, PlatformAdminBootstrap];
    if (config.KEYCLOAK_URL) {
      return {
        module: IdentityModule,
        global: true,
        providers: [...common, keycloakProvider(config)],
        exports: [IDENTITY_PROVIDER],
      };
    }
    return {
      module: IdentityModule,
      global: true,
      imports: [
        EmbeddedIssuerModule.forRoot(config),
        RouterModule.register([{ path: config.OIDC_ISSUER_PATH, module: EmbeddedIssuerModule }]),
      ],
      providers: [...common, { provide: IDENTITY_PROVIDER, useExisting: EmbeddedIdentityProvider }],
      exports: [IDENTITY_PROVIDER],
    };
  }
}
