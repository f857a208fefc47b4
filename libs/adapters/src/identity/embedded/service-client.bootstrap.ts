import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { PLATFORM_ADMIN_PERMISSION, ServiceTokenSource } from '@flexgalaxy/auth';
import { PLATFORM_ACCOUNT_ID } from '../bootstrap/platform-admin.bootstrap.js';
import { IdentityClientConflictError, IdentityClientNotFoundError } from '../identity-provider.errors.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { EmbeddedIdentityProvider } from './embedded-identity-provider.js';

/** The client services of this process act as when they call each other's HTTP APIs. */
export const PLATFORM_SERVICES_CLIENT_ID = 'platform-services';

/**
 * Where the embedded issuer runs in the same process as the services (the platform app, the org
 * app), they need no secret to call each other: the issuer signs their tokens directly for the
 * platform-services client. Configured SERVICE_CLIENT_ID/SECRET take precedence.
 */
@Injectable()
export class ServiceClientBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(EmbeddedIdentityProvider) private readonly identity: EmbeddedIdentityProvider,
    @Inject(ClientCredentialsGrant) private readonly grant: ClientCredentialsGrant,
    @Optional() @Inject(ServiceTokenSource) private readonly tokens?: ServiceTokenSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.tokens || this.tokens.hasCredentials()) return;
    const client = await this.ensureClient();
    this.tokens.useInProcessIssuer(async () => this.grant.issueFor(client));
  }

  private async ensureClient() {
    try {
      return await this.identity.getClient(PLATFORM_SERVICES_CLIENT_ID);
    } catch (error) {
      if (!(error instanceof IdentityClientNotFoundError)) throw error;
    }
    try {
      // Its generated secret is never used (tokens are signed in-process), so nobody is given it.
      await this.identity.createClient({
        clientId: PLATFORM_SERVICES_CLIENT_ID,
        accountId: PLATFORM_ACCOUNT_ID,
        permissions: [PLATFORM_ADMIN_PERMISSION],
        description: 'Service-to-service calls inside this deployment',
      });
    } catch (error) {
      if (!(error instanceof IdentityClientConflictError)) throw error;
    }
    return this.identity.getClient(PLATFORM_SERVICES_CLIENT_ID);
  }
}
