import { Inject, Injectable } from '@nestjs/common';
import { PermissionDeniedError, type Principal } from '@flexgalaxy/auth';
import { OutboxWriter } from '@flexgalaxy/events';
import { MarketplaceAccountsRepository } from '../accounts/accounts.repository.js';
import { isOrgRoot } from '../accounts/domain/account.js';
import { MarketplacePermission } from '../core/marketplace.permissions.js';
import { MarketplaceTransactions } from '../core/transaction-runner.js';
import type { Page, PageRequest } from '@flexgalaxy/service-kit';
import { coverageOf } from '../listings/domain/listing.js';
import { ListingNotFoundError } from '../listings/listings.errors.js';
import { ListingsRepository } from '../listings/listings.repository.js';
import { catalogScope } from '../listings/listings.service.js';
import type { Grant, GrantScope } from './domain/grant.js';
import {
  GrantNotFoundError,
  GrantReadOnlyError,
  ListingNotPublishedError,
  OrgRootRequiredError,
  UnknownListingVersionError,
} from './grants.errors.js';
import { GrantsRepository, type GrantReadScope } from './grants.repository.js';

const PERMISSION_FOR: Record<GrantScope, string> = {
  account: MarketplacePermission.get,
  org: MarketplacePermission.getOrg,
};

/** seed 000 §3 "The Get Action": consent for OTA Forge to target a listing in an account or org. */
@Injectable()
export class GrantsService {
  constructor(
    @Inject(GrantsRepository) private readonly grants: GrantsRepository,
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
    @Inject(MarketplaceAccountsRepository) private readonly accounts: MarketplaceAccountsRepository,
    @Inject(MarketplaceTransactions) private readonly transactions: MarketplaceTransactions,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /** Gets a listing for the caller's account or, from an org root, org-wide. A second Get is the same grant. */
  async get(
    principal: Principal,
    listingId: string,
    input: { scope: GrantScope; version?: string },
  ): Promise<{ grant: Grant; created: boolean }> {
    requirePermission(principal, PERMISSION_FOR[input.scope]);
    const listing = await this.listings.findVisible(catalogScope(principal), listingId);
    if (!listing) throw new ListingNotFoundError(listingId);
    if (listing.status !== 'PUBLISHED' || !listing.latestVersion) throw new ListingNotPublishedError(listingId);
    const version = input.version ?? listing.latestVersion;
    if (!(await this.listings.findVersion(listingId, version)))
      throw new UnknownListingVersionError(listingId, version);
    const account = await this.accounts.find(principal.accountId);
    if (input.scope === 'org' && (!account || !isOrgRoot(account))) throw new OrgRootRequiredError(principal.accountId);
    return this.transactions.run(async (tx) => {
      const result = await this.grants.createOnce(tx, {
        listingId,
        granteeAccountId: principal.accountId,
        scope: input.scope,
        orgRootAccountId: account?.orgRootId ?? null,
        versionScoping: listing.versionScoping,
        grantedVersion: version,
        coverage: coverageOf(listing.versionScoping, version),
        createdBy: principal.subject,
      });
      if (result.created) {
        await this.outbox.append(
          tx,
          'marketplace.grant.created',
          {
            grantId: result.grant.id,
            listingId,
            granteeAccountId: result.grant.granteeAccountId,
            scope: result.grant.scope,
            orgRootAccountId: result.grant.orgRootAccountId,
            versionScoping: result.grant.versionScoping,
            grantedVersion: result.grant.grantedVersion,
          },
          { accountId: result.grant.granteeAccountId },
        );
      }
      return result;
    });
  }

  async find(principal: Principal, grantId: string): Promise<Grant> {
    const grant = await this.grants.findVisible(await this.readScope(principal), grantId);
    if (!grant) throw new GrantNotFoundError(grantId);
    return grant;
  }

  async list(
    principal: Principal,
    filter: { listingId?: string; status?: 'ACTIVE' | 'REVOKED' },
    page: PageRequest,
  ): Promise<Page<Grant>> {
    return this.grants.listVisible(await this.readScope(principal), filter, page);
  }

  /** Revokes a grant (its grantee, with the permission its scope needs); revoking twice changes nothing. */
  async revoke(principal: Principal, grantId: string): Promise<Grant> {
    const grant = await this.find(principal, grantId);
    if (!principal.isPlatformAdmin && grant.granteeAccountId !== principal.accountId)
      throw new GrantReadOnlyError(grantId);
    requirePermission(principal, PERMISSION_FOR[grant.scope]);
    return this.transactions.run(async (tx) => {
      const revoked = await this.grants.revoke(tx, grantId, principal.subject);
      if (!revoked) return grant;
      await this.outbox.append(
        tx,
        'marketplace.grant.revoked',
        { grantId, listingId: revoked.listingId },
        { accountId: revoked.granteeAccountId },
      );
      return revoked;
    });
  }

  private async readScope(principal: Principal): Promise<GrantReadScope> {
    if (principal.isPlatformAdmin) return { kind: 'all' };
    const account = await this.accounts.find(principal.accountId);
    return { kind: 'account', accountId: principal.accountId, orgRootId: account?.orgRootId ?? null };
  }
}

function requirePermission(principal: Principal, permission: string): void {
  if (!principal.isPlatformAdmin && !principal.permissions.has(permission)) throw new PermissionDeniedError(permission);
}
