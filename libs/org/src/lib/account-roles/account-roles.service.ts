import { Inject, Injectable, Logger } from '@nestjs/common';
import { IDENTITY_PROVIDER, type AccountRolesOutcome, type IdentityProvider } from '@flexgalaxy/adapters';
import type { EventMap } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';

/**
 * Role names at the identity provider say which service declared them, so that the `roles`
 * claim stays readable once more than TrustMint declares roles.
 */
export const TRUST_MINT_ROLE_PREFIX = 'trust-mint:';

/**
 * Gives the identity provider (Keycloak, or the embedded issuer hosted by this service) the role
 * sets accounts declare in TrustMint (seed 001), so that their clients' tokens carry `roles`.
 */
@Injectable()
export class AccountRolesService {
  private readonly logger = new Logger(AccountRolesService.name);

  constructor(@Inject(IDENTITY_PROVIDER) private readonly identity: IdentityProvider) {}

  /**
   * Applies one declaration. A stale one (a newer was applied) changes nothing; an unreachable
   * identity provider throws, so the event is retried rather than lost.
   */
  async applyTrustMintRoles(tx: Tx, declared: EventMap['trust_mint.roles.declared']): Promise<AccountRolesOutcome> {
    const outcome = await this.identity.setAccountRoles(
      {
        accountId: declared.accountId,
        version: declared.version,
        roles: declared.roles.map((role) => ({
          name: `${TRUST_MINT_ROLE_PREFIX}${role.name}`,
          permissions: role.permissions,
        })),
      },
      { transaction: tx },
    );
    if (outcome === 'stale') {
      this.logger.log(
        { accountId: declared.accountId, version: declared.version },
        'older TrustMint role declaration ignored',
      );
    }
    return outcome;
  }
}
