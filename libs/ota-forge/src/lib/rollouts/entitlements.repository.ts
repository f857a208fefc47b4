import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import { majorOf, type SoftwareCategory, type VersionScoping } from './domain/entitlement.js';

export interface GrantRecord {
  grantId: string;
  listingId: string;
  granteeAccountId: string;
  scope: 'account' | 'org';
  orgRootAccountId: string | null;
  versionScoping: VersionScoping;
  grantedVersion: string;
}

export interface ListingRecord {
  listingId: string;
  developerAccountId: string;
  name: string;
  version: string;
  category: SoftwareCategory;
  versionScoping: VersionScoping;
}

/** The projections of the marketplace: listings (owner, category) and "Get" grants. */
@Injectable()
export class EntitlementsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Records a grant; one whose revocation arrived first stays revoked. */
  async recordGrant(tx: Tx, grant: GrantRecord): Promise<void> {
    const fields = {
      listingId: grant.listingId,
      granteeAccountId: grant.granteeAccountId,
      scope: grant.scope,
      orgRootAccountId: grant.orgRootAccountId,
      versionScoping: grant.versionScoping,
      grantedVersion: grant.grantedVersion,
      grantedMajor: majorOf(grant.grantedVersion),
    };
    await tx.otaGrant.upsert({
      where: { id: grant.grantId },
      create: { id: grant.grantId, ...fields },
      update: fields,
    });
  }

  async revokeGrant(tx: Tx, grantId: string, listingId: string, at: Date): Promise<void> {
    await tx.otaGrant.upsert({
      where: { id: grantId },
      create: { id: grantId, listingId, revokedAt: at },
      update: { revokedAt: at },
    });
  }

  async recordListing(tx: Tx, listing: ListingRecord): Promise<void> {
    const fields = {
      developerAccountId: listing.developerAccountId,
      name: listing.name,
      version: listing.version,
      category: listing.category,
      versionScoping: listing.versionScoping,
    };
    await tx.otaListing.upsert({
      where: { id: listing.listingId },
      create: { id: listing.listingId, ...fields },
      update: fields,
    });
  }

  async findListing(listingId: string): Promise<{ developerAccountId: string; category: SoftwareCategory } | null> {
    return this.prisma.otaListing.findUnique({
      where: { id: listingId },
      select: { developerAccountId: true, category: true },
    });
  }
}
