import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@flexgalaxy/db';

export interface TypeCount {
  type: string;
  count: number;
}
export interface DayIssuedRevoked {
  day: string;
  issued: number;
  revoked: number;
}
export interface SoftwareTypeCount extends TypeCount {
  softwareId: string;
}
export interface IssuanceCell {
  day: string;
  accountId: string;
  type: string;
  issued: number;
}
export interface EnrollmentCell {
  day: string;
  accountId: string;
  enrolled: number;
}

const n = (value: unknown) => Number(value ?? 0);

/**
 * Aggregates over TrustMint's own tables (licenses, ledger, devices), computed by the database:
 * reports never return device or license ids, only counts (seed 000 §4 "Developer Visibility").
 */
@Injectable()
export class ReportsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Licenses of one software that entitle now (ACTIVE, not expired), by type. */
  async activeBySoftware(softwareId: string): Promise<TypeCount[]> {
    const rows = await this.prisma.$queryRaw<{ type: string; count: bigint }[]>`
      SELECT "type"::text AS type, count(*) AS count FROM "trust_mint"."licenses"
       WHERE "software_id" = ${softwareId} AND "status" = 'ACTIVE' AND ("expires_at" IS NULL OR "expires_at" > now())
       GROUP BY "type"`;
    return rows.map((row) => ({ type: row.type, count: n(row.count) }));
  }

  /** One account's entitling licenses, by software and type. */
  async activeByAccount(accountId: string): Promise<SoftwareTypeCount[]> {
    const rows = await this.prisma.$queryRaw<{ software_id: string; type: string; count: bigint }[]>`
      SELECT "software_id", "type"::text AS type, count(*) AS count FROM "trust_mint"."licenses"
       WHERE "account_id" = ${accountId} AND "status" = 'ACTIVE' AND ("expires_at" IS NULL OR "expires_at" > now())
       GROUP BY "software_id", "type" ORDER BY "software_id", "type"`;
    return rows.map((row) => ({ softwareId: row.software_id, type: row.type, count: n(row.count) }));
  }

  /** Issued and revoked per UTC day since `since`, for one software or one account. */
  async trend(by: { softwareId: string } | { accountId: string }, since: Date): Promise<DayIssuedRevoked[]> {
    const rows =
      'softwareId' in by
        ? await this.prisma.$queryRaw<{ day: string; issued: bigint; revoked: bigint }[]>`
            SELECT to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                   count(*) FILTER (WHERE "operation" = 'ISSUED') AS issued,
                   count(*) FILTER (WHERE "operation" = 'REVOKED') AS revoked
              FROM "trust_mint"."license_ledger"
             WHERE "software_id" = ${by.softwareId} AND "occurred_at" >= ${since} AND "operation" IN ('ISSUED', 'REVOKED')
             GROUP BY 1 ORDER BY 1`
        : await this.prisma.$queryRaw<{ day: string; issued: bigint; revoked: bigint }[]>`
            SELECT to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                   count(*) FILTER (WHERE "operation" = 'ISSUED') AS issued,
                   count(*) FILTER (WHERE "operation" = 'REVOKED') AS revoked
              FROM "trust_mint"."license_ledger"
             WHERE "account_id" = ${by.accountId} AND "occurred_at" >= ${since} AND "operation" IN ('ISSUED', 'REVOKED')
             GROUP BY 1 ORDER BY 1`;
    return rows.map((row) => ({ day: row.day, issued: n(row.issued), revoked: n(row.revoked) }));
  }

  /** BoardingPass: licenses issued per day, account and type in [from, to). */
  async issuance(from: Date, to: Date): Promise<IssuanceCell[]> {
    const rows = await this.prisma.$queryRaw<{ day: string; account_id: string; type: string; issued: bigint }[]>`
      SELECT to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "account_id", "license_type"::text AS type,
             count(*) AS issued
        FROM "trust_mint"."license_ledger"
       WHERE "operation" = 'ISSUED' AND "occurred_at" >= ${from} AND "occurred_at" < ${to}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    return rows.map((row) => ({ day: row.day, accountId: row.account_id, type: row.type, issued: n(row.issued) }));
  }

  /** Entitling licenses across the platform, by type. */
  async activeAll(): Promise<TypeCount[]> {
    const rows = await this.prisma.$queryRaw<{ type: string; count: bigint }[]>`
      SELECT "type"::text AS type, count(*) AS count FROM "trust_mint"."licenses"
       WHERE "status" = 'ACTIVE' AND ("expires_at" IS NULL OR "expires_at" > now())
       GROUP BY "type"`;
    return rows.map((row) => ({ type: row.type, count: n(row.count) }));
  }

  /** BoardingPass: devices enrolled (device.provisioned) per day and enrolling account in [from, to). */
  async enrollments(from: Date, to: Date): Promise<EnrollmentCell[]> {
    const rows = await this.prisma.$queryRaw<{ day: string; account_id: string; enrolled: bigint }[]>`
      SELECT to_char("enrolled_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "enrolled_account_id" AS account_id,
             count(*) AS enrolled
        FROM "trust_mint"."devices"
       WHERE "enrolled_at" >= ${from} AND "enrolled_at" < ${to}
       GROUP BY 1, 2 ORDER BY 1, 2`;
    return rows.map((row) => ({ day: row.day, accountId: row.account_id, enrolled: n(row.enrolled) }));
  }
}
