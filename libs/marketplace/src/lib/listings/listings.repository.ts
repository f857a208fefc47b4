import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { Listing, ListingVersion, LicensePolicy, SoftwareCategory, VersionScoping } from './domain/listing.js';
import { SoftwareIdTakenError, VersionExistsError } from './listings.errors.js';

type ListingRow = Prisma.MarketplaceListingGetPayload<object>;
type VersionRow = Prisma.MarketplaceListingVersionGetPayload<object>;

function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    developerAccountId: row.developerAccountId,
    softwareId: row.softwareId,
    name: row.name,
    description: row.description,
    category: row.category,
    compatibleDevices: row.compatibleDevices,
    versionScoping: row.versionScoping,
    licensePolicy: { softwareType: row.licenseSoftwareType, licenseType: row.licenseType, trigger: row.licenseTrigger },
    status: row.status,
    latestVersion: row.latestVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
  };
}

function toVersion(row: VersionRow): ListingVersion {
  return {
    id: row.id,
    listingId: row.listingId,
    version: row.version,
    major: row.major,
    releaseNotes: row.releaseNotes,
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt,
  };
}

/** Who sees what: published listings are the catalog; a draft only its developer (admins all). */
export type ListingScope =
  { kind: 'all' } | { kind: 'catalog'; accountId: string } | { kind: 'own'; accountId: string };

function visibleTo(scope: ListingScope): Prisma.MarketplaceListingWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'catalog':
      return { OR: [{ status: 'PUBLISHED' }, { developerAccountId: scope.accountId }] };
    case 'own':
      return { developerAccountId: scope.accountId };
  }
}

export interface NewListing {
  developerAccountId: string;
  softwareId: string;
  name: string;
  description: string;
  category: SoftwareCategory;
  compatibleDevices: string;
  versionScoping: VersionScoping;
  licensePolicy: LicensePolicy;
  createdBy: string;
}

export interface ListingChanges {
  softwareId?: string;
  name?: string;
  description?: string;
  category?: SoftwareCategory;
  compatibleDevices?: string;
  versionScoping?: VersionScoping;
  licensePolicy?: LicensePolicy;
}

export interface ListingFilter {
  category?: SoftwareCategory;
  developerAccountId?: string;
  status?: 'DRAFT' | 'PUBLISHED';
  q?: string;
}

function policyColumns(policy: LicensePolicy | undefined) {
  return policy
    ? { licenseSoftwareType: policy.softwareType, licenseType: policy.licenseType, licenseTrigger: policy.trigger }
    : {};
}

/** The only door to `marketplace.listings` and `marketplace.listing_versions`. */
@Injectable()
export class ListingsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async create(listing: NewListing): Promise<Listing> {
    const { licensePolicy, ...columns } = listing;
    try {
      const row = await this.prisma.marketplaceListing.create({
        data: {
          id: randomUUID(),
          ...columns,
          licenseSoftwareType: licensePolicy.softwareType,
          licenseType: licensePolicy.licenseType,
          licenseTrigger: licensePolicy.trigger,
        },
      });
      return toListing(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new SoftwareIdTakenError(listing.softwareId);
      throw error;
    }
  }

  async findVisible(scope: ListingScope, id: string): Promise<Listing | null> {
    const row = await this.prisma.marketplaceListing.findFirst({ where: { AND: [visibleTo(scope), { id }] } });
    return row ? toListing(row) : null;
  }

  /** The listing row-locked until the transaction ends (publishing serialises on it). */
  async lockOwn(tx: Tx, scope: ListingScope, id: string): Promise<Listing | null> {
    const [locked] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "marketplace"."listings" WHERE "id" = ${id} FOR UPDATE`;
    if (!locked) return null;
    const row = await tx.marketplaceListing.findFirst({ where: { AND: [visibleTo(scope), { id }] } });
    return row ? toListing(row) : null;
  }

  async listVisible(scope: ListingScope, filter: ListingFilter, page: PageRequest): Promise<Page<Listing>> {
    const rows = await this.prisma.marketplaceListing.findMany({
      where: {
        AND: [
          visibleTo(scope),
          {
            ...(filter.category ? { category: filter.category } : {}),
            ...(filter.developerAccountId ? { developerAccountId: filter.developerAccountId } : {}),
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.q ? { name: { contains: filter.q, mode: 'insensitive' as const } } : {}),
          },
          ...(page.after ? [{ id: { gt: page.after } }] : []),
        ],
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toListing), page.limit, (listing) => listing.id);
  }

  async update(tx: Tx, id: string, changes: ListingChanges): Promise<Listing> {
    const { licensePolicy, ...columns } = changes;
    try {
      const row = await tx.marketplaceListing.update({
        where: { id },
        data: { ...columns, ...policyColumns(licensePolicy) },
      });
      return toListing(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new SoftwareIdTakenError(changes.softwareId ?? '');
      throw error;
    }
  }

  /** Records a published version and the listing's new state, inside the caller's transaction. */
  async addVersion(
    tx: Tx,
    version: Omit<ListingVersion, 'id' | 'publishedAt'>,
    listing: { latestVersion: string },
  ): Promise<{ listing: Listing; version: ListingVersion }> {
    const { count } = await tx.marketplaceListingVersion.createMany({
      data: [{ id: randomUUID(), ...version }],
      skipDuplicates: true,
    });
    if (count === 0) throw new VersionExistsError(version.listingId, version.version);
    const now = new Date();
    const current = await tx.marketplaceListing.findUniqueOrThrow({ where: { id: version.listingId } });
    const row = await tx.marketplaceListing.update({
      where: { id: version.listingId },
      data: { status: 'PUBLISHED', latestVersion: listing.latestVersion, publishedAt: current.publishedAt ?? now },
    });
    const stored = await tx.marketplaceListingVersion.findUniqueOrThrow({
      where: { listingId_version: { listingId: version.listingId, version: version.version } },
    });
    return { listing: toListing(row), version: toVersion(stored) };
  }

  async versionsOf(listingId: string): Promise<ListingVersion[]> {
    const rows = await this.prisma.marketplaceListingVersion.findMany({
      where: { listingId },
      orderBy: { publishedAt: 'asc' },
    });
    return rows.map(toVersion);
  }

  async findVersion(listingId: string, version: string): Promise<ListingVersion | null> {
    const row = await this.prisma.marketplaceListingVersion.findUnique({
      where: { listingId_version: { listingId, version } },
    });
    return row ? toVersion(row) : null;
  }
}
