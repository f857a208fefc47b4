import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { OutboxWriter } from '@flexgalaxy/events';
import { MarketplaceAccountsRepository } from '../accounts/accounts.repository.js';
import { PUBLISHER_KINDS } from '../accounts/domain/account.js';
import { MarketplaceTransactions } from '../core/transaction-runner.js';
import type { Page, PageRequest } from '@flexgalaxy/service-kit';
import { validCompatibleDevices } from './domain/compatible-devices.js';
import { laterVersion, LOCKED_WHEN_PUBLISHED, majorOf, type Listing, type ListingVersion } from './domain/listing.js';
import { ListingNotFoundError, ListingTermsLockedError, NotAPublisherError } from './listings.errors.js';
import {
  ListingsRepository,
  type ListingChanges,
  type ListingFilter,
  type ListingScope,
  type NewListing,
} from './listings.repository.js';

export function catalogScope(principal: Principal): ListingScope {
  return principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'catalog', accountId: principal.accountId };
}

function ownScope(principal: Principal): ListingScope {
  return principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'own', accountId: principal.accountId };
}

/** Developers' listings (seed 000 §3–4): drafts, edits, and publishing versions (listing.published). */
@Injectable()
export class ListingsService {
  constructor(
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
    @Inject(MarketplaceAccountsRepository) private readonly accounts: MarketplaceAccountsRepository,
    @Inject(MarketplaceTransactions) private readonly transactions: MarketplaceTransactions,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async create(principal: Principal, input: Omit<NewListing, 'developerAccountId' | 'createdBy'>): Promise<Listing> {
    if (!principal.isPlatformAdmin) {
      const account = await this.accounts.find(principal.accountId);
      if (!account || !PUBLISHER_KINDS.includes(account.kind)) throw new NotAPublisherError(principal.accountId);
    }
    return this.listings.create({
      ...input,
      compatibleDevices: validCompatibleDevices(input.compatibleDevices),
      developerAccountId: principal.accountId,
      createdBy: principal.subject,
    });
  }

  async get(principal: Principal, listingId: string): Promise<Listing> {
    const listing = await this.listings.findVisible(catalogScope(principal), listingId);
    if (!listing) throw new ListingNotFoundError(listingId);
    return listing;
  }

  list(principal: Principal, filter: ListingFilter, page: PageRequest): Promise<Page<Listing>> {
    return this.listings.listVisible(catalogScope(principal), filter, page);
  }

  async versions(principal: Principal, listingId: string): Promise<ListingVersion[]> {
    await this.get(principal, listingId);
    return this.listings.versionsOf(listingId);
  }

  /** A draft changes freely; a published listing keeps the terms Get holders and TrustMint rely on. */
  async update(principal: Principal, listingId: string, changes: ListingChanges): Promise<Listing> {
    return this.transactions.run(async (tx) => {
      const listing = await this.listings.lockOwn(tx, ownScope(principal), listingId);
      if (!listing) throw new ListingNotFoundError(listingId);
      if (listing.status === 'PUBLISHED') {
        const locked = LOCKED_WHEN_PUBLISHED.filter((field) => changes[field] !== undefined);
        if (locked.length) throw new ListingTermsLockedError(listingId, [...locked]);
      }
      return this.listings.update(tx, listingId, {
        ...changes,
        ...(changes.compatibleDevices !== undefined
          ? { compatibleDevices: validCompatibleDevices(changes.compatibleDevices) }
          : {}),
      });
    });
  }

  /** Publishes a version: the listing goes live (or gains the version) and listing.published is emitted. */
  async publish(
    principal: Principal,
    listingId: string,
    input: { version: string; releaseNotes: string },
  ): Promise<{ listing: Listing; version: ListingVersion }> {
    return this.transactions.run(async (tx) => {
      const listing = await this.listings.lockOwn(tx, ownScope(principal), listingId);
      if (!listing) throw new ListingNotFoundError(listingId);
      const result = await this.listings.addVersion(
        tx,
        {
          listingId,
          version: input.version,
          major: majorOf(input.version),
          releaseNotes: input.releaseNotes,
          publishedBy: principal.subject,
        },
        { latestVersion: laterVersion(listing.latestVersion, input.version) },
      );
      await this.outbox.append(
        tx,
        'listing.published',
        {
          listingId,
          developerAccountId: listing.developerAccountId,
          name: listing.name,
          version: input.version,
          category: listing.category,
          versionScoping: listing.versionScoping,
          licensePolicy: listing.licensePolicy,
        },
        { accountId: listing.developerAccountId },
      );
      return result;
    });
  }
}
