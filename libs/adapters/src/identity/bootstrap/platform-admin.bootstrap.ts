import { resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { newClientSecret } from '../identity-client.rules.js';
import { IdentityClientConflictError, IdentityClientNotFoundError } from '../identity-provider.errors.js';
import { IDENTITY_PROVIDER, type IdentityProvider } from '../identity-provider.port.js';
import type { IdentityConfig } from '../identity.config.js';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import { writeBootstrapCredentials } from './bootstrap-credentials.file.js';

export const DEFAULT_PLATFORM_ADMIN_CLIENT_ID = 'platform-admin';
/** The pseudo-account of platform administrators (cross-account role, ARCHITECTURE.md). */
export const PLATFORM_ACCOUNT_ID = 'platform';

/**
 * A fresh platform has no one who could create the first service user, so the first start
 * creates a platform-admin client: the one given by PLATFORM_ADMIN_CLIENT_ID/SECRET, or one with
 * a generated secret written to BOOTSTRAP_CREDENTIALS_FILE (0600). Later starts find it and do
 * nothing.
 */
@Injectable()
export class PlatformAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformAdminBootstrap.name);

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(IDENTITY_PROVIDER) private readonly identity: IdentityProvider,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const clientId = this.config.PLATFORM_ADMIN_CLIENT_ID ?? DEFAULT_PLATFORM_ADMIN_CLIENT_ID;
    if (await this.exists(clientId)) {
      this.logger.log({ clientId }, 'platform admin client present');
      return;
    }
    const given = this.config.PLATFORM_ADMIN_CLIENT_SECRET;
    const clientSecret = given ?? newClientSecret();
    try {
      await this.identity.createClient({
        clientId,
        clientSecret,
        accountId: PLATFORM_ACCOUNT_ID,
        permissions: [PLATFORM_ADMIN_PERMISSION],
        description: 'Platform administrator (created at first start)',
      });
    } catch (error) {
      // Another instance starting on the same database got there first: it holds the credentials.
      if (error instanceof IdentityClientConflictError) return;
      throw error;
    }
    if (given) {
      this.logger.log({ clientId }, 'registered the configured platform admin client');
      return;
    }
    await this.saveGenerated(clientId, clientSecret);
  }

  private async saveGenerated(clientId: string, clientSecret: string): Promise<void> {
    const path = resolve(this.config.BOOTSTRAP_CREDENTIALS_FILE);
    try {
      await writeBootstrapCredentials(path, { clientId, clientSecret, tokenEndpoint: this.identity.tokenEndpoint() });
    } catch (error) {
      // Nobody could ever read this secret: undo, so the next start tries again.
      await this.identity.deleteClient(clientId).catch(() => undefined);
      throw error;
    }
    this.logger.warn(
      { clientId, file: path },
      'created the platform admin client; its secret is in this file (mode 0600)',
    );
  }

  private async exists(clientId: string): Promise<boolean> {
    try {
      await this.identity.getClient(clientId);
      return true;
    } catch (error) {
      if (error instanceof IdentityClientNotFoundError) return false;
      throw error;
    }
  }
}
