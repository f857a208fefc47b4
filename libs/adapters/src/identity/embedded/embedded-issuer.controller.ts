import { Body, Controller, Get, Header, Headers, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import type { IdentityConfig } from '../identity.config.js';
import { ClientCredentialsGrant, type TokenResponse } from './client-credentials.grant.js';
import { discoveryDocument } from './issuer-discovery.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { SigningKeyStore, type PublishedJwk } from './signing-key.store.js';

/**
 * The embedded OIDC issuer's public endpoints, mounted under OIDC_ISSUER_PATH (RouterModule).
 * Unauthenticated by design: discovery and JWKS are public, and the token endpoint
 * authenticates the client itself.
 */
@ApiTags('oidc')
@Controller()
export class EmbeddedIssuerController {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(SigningKeyStore) private readonly keys: SigningKeyStore,
    @Inject(ClientCredentialsGrant) private readonly grant: ClientCredentialsGrant,
  ) {}

  @Get('.well-known/openid-configuration')
  @Endpoint({ summary: 'OpenID Connect discovery document' })
  discovery(): ReturnType<typeof discoveryDocument> {
    return discoveryDocument(this.config);
  }

  @Get('jwks')
  @Endpoint({ summary: 'Public keys that verify the issued tokens (JWKS)' })
  // Short enough that a rotation reaches resource servers quickly; they also refetch on an unknown kid.
  @Header('cache-control', 'public, max-age=300')
  jwks(): Promise<{ keys: PublishedJwk[] }> {
    return this.keys.jwks();
  }

  @Post('token')
  @Endpoint({ summary: 'OAuth2 token endpoint (client_credentials grant, form or JSON body)', status: 200 })
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @UseFilters(OAuthErrorFilter)
  token(@Headers('authorization') authorization: string | undefined, @Body() body: unknown): Promise<TokenResponse> {
    return this.grant.exchange({ authorization, body });
  }
}
