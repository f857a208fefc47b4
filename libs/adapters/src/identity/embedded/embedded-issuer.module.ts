import { Module, type DynamicModule } from '@nestjs/common';
import type { IdentityConfig } from '../identity.config.js';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import { AccessTokenSigner } from './access-token.signer.js';
import { AccountRolesRepository } from './account-roles.repository.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { EmbeddedIdentityProvider } from './embedded-identity-provider.js';
import { EmbeddedIssuerController } from './embedded-issuer.controller.js';
import { IdentityClientsRepository } from './identity-clients.repository.js';
import { ServiceClientBootstrap } from './service-client.bootstrap.js';
import { SigningKeyStore } from './signing-key.store.js';
import { SigningKeysRepository } from './signing-keys.repository.js';

/**
 * The embedded OIDC issuer: client store, signing keys and the discovery / JWKS / token
 * endpoints. Needs PrismaService from the global DatabaseModule.
 *
 * Hand-rolled on node:crypto rather than `oidc-provider`: that library compares client secrets
 * in plaintext (it must hold them to do so), while the platform stores only hashes of secrets
 * (ARCHITECTURE.md "Identity and access"). A client_credentials-only issuer is small: ES256
 * signing, a JWKS and one grant.
 */
@Module({})
export class EmbeddedIssuerModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: EmbeddedIssuerModule,
      controllers: [EmbeddedIssuerController],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        ClientSecretHasher,
        IdentityClientsRepository,
        AccountRolesRepository,
        SigningKeysRepository,
        SigningKeyStore,
        AccessTokenSigner,
        ClientCredentialsGrant,
        EmbeddedIdentityProvider,
        ServiceClientBootstrap,
      ],
      exports: [EmbeddedIdentityProvider, SigningKeyStore, AccessTokenSigner],
    };
  }
}
