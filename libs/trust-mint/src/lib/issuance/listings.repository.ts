import { Inject, Injectable } from '@nestjs/common';
import { licenseTriggerSchema } from '@flexgalaxy/contracts';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { PublishedListing } from './domain/listing.js';

type ListingRow = Prisma.TrustMintListingGetPayload<object>;

function toListing(row: ListingRow): PublishedListing {
  return {
    id: row.id,
    developerAccountId: row.developerAccountId,
    name: row.name,
    latestVersion: row.latestVersion,
    category: row.category,
    versionScoping: row.versionScoping,
    softwareType: row.softwareType,
    policyLicenseType: row.policyLicenseType,
    trigger: licenseTriggerSchema.parse(row.trigger),
    publishedAt: row.publishedAt,
  };
}

/** The only door to `trust_mint.listings`, the projection of listing.published. */
@Injectable()
export class ListingsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Records a publication unless a newer one is already recorded (events may arrive out of order). */
  async record(tx: Tx, listing: PublishedListing): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "trust_mint"."listings" AS l
        ("id", "developer_account_id", "name", "latest_version", "category", "version_scoping",
         "software_type", "policy_license_type", "trigger", "published_at")
      VALUES (${listing.id}, ${listing.developerAccountId}, ${listing.name}, ${listing.latestVersion},
              ${listing.category}, ${listing.versionScoping}, ${listing.softwareType}, ${listing.policyLicenseType},
              ${listing.trigger}, ${listing.publishedAt})
      ON CONFLICT ("id") DO UPDATE SET
        "name" = EXCLUDED."name",
        "latest_version" = EXCLUDED."latest_version",
        "category" = EXCLUDED."category",
        "version_scoping" = EXCLUDED."version_scoping",
        "software_type" = EXCLUDED."software_type",
        "policy_license_type" = EXCLUDED."policy_license_type",
        "trigger" = EXCLUDED."trigger",
        "published_at" = EXCLUDED."published_at"
      WHERE l."published_at" <= EXCLUDED."published_at"`;
  }

  async find(listingId: string, tx?: Tx): Promise<PublishedListing | null> {
    const row = await (tx ?? this.prisma).trustMintListing.findUnique({ where: { id: listingId } });
    return row ? toListing(row) : null;
  }
}
