import { Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import type { CreatedAction } from './domain/action.js';
import { majorOf, type Grant, type TargetOwnership, type VersionScoping } from './domain/entitlement.js';
import type { MatchingPolicy } from './domain/policy.js';
import { expressionToSql, type TargetAttributes } from './domain/target-expression.js';

/** SQL pieces of the entitlement rule (domain/entitlement.ts isEntitled), as column or parameter refs. */
interface EntitlementRefs {
  owner: string;
  listing: string;
  version: string;
  major: string;
  deviceBound: string;
}

/**
 * domain/entitlement.ts isEntitled, in SQL over target `t`: own devices, or a live grant of the
 * listing covering the version, held by the owner's account / org, or (device-bound) the maker's.
 */
function entitledSql(refs: EntitlementRefs): string {
  return `(t."account_id" = ${refs.owner} OR (${refs.listing} IS NOT NULL AND EXISTS (
      SELECT 1 FROM "ota"."grants" g
       WHERE g."listing_id" = ${refs.listing} AND g."revoked_at" IS NULL AND g."granted_version" IS NOT NULL
         AND (g."version_scoping" = 'all'
              OR (g."version_scoping" = 'exact' AND g."granted_version" = ${refs.version})
              OR (g."version_scoping" = 'major' AND g."granted_major" = ${refs.major}))
         AND ((g."scope" = 'account' AND g."grantee_account_id" = t."account_id")
              OR (g."scope" = 'org' AND g."org_root_account_id" = t."org_root_id")
              OR (${refs.deviceBound} AND (
                   (g."scope" = 'account' AND g."grantee_account_id" = t."maker_account_id")
                OR (g."scope" = 'org' AND g."org_root_account_id" =
                     (SELECT m."org_root_id" FROM "ota"."accounts" m WHERE m."id" = t."maker_account_id"))))))))`;
}

/** majorOf() in SQL, for versions read from a column. */
const majorSql = (column: string) =>
  `COALESCE((substring(trim(${column}) from '^[vV]?([0-9]{1,30})'))::numeric::text, trim(${column}))`;

const OPEN_UNCANCELED = `('scheduled','retrieved','running','downloading','downloaded')`;

export interface MatchTargetSnapshot {
  ownership: TargetOwnership;
  /** Static attributes in @flexgalaxy/targeting's vocabulary (software_version added per policy). */
  attributes: TargetAttributes;
  /** Installed version per software ("owner\u0000name"). */
  software: Map<string, string>;
}

export const softwareKey = (ownerAccountId: string, softwareName: string) => `${ownerAccountId}\u0000${softwareName}`;

interface CanceledRow {
  id: bigint;
  status: string;
}

/**
 * Turns policies into actions: the bulk tier (one INSERT … SELECT over the indexed target
 * attributes) and the one-target tier (in-memory predicate, one batched insert), and withdraws
 * open actions whose entitlement lapsed (transfer, revoked grant).
 */
@Injectable()
export class MatchingRepository {
  /**
   * Creates the actions of `policy` for every matching, entitled target that has none yet, in ONE
   * statement: match, rank into waves and insert together, never a query per target.
   * @param onlyAccountId restrict to one owner's targets (its org placement just became known)
   */
  async insertMatching(tx: Tx, policy: MatchingPolicy, onlyAccountId: string | null = null): Promise<CreatedAction[]> {
    const fixed: unknown[] = [
      policy.ownerAccountId, // $1
      policy.softwareName, // $2
      policy.id, // $3
      policy.distributionSetId, // $4
      policy.listingId, // $5
      policy.softwareVersion, // $6
      majorOf(policy.softwareVersion), // $7
      policy.category === 'device_bound', // $8
      onlyAccountId, // $9
      policy.wavePercentages, // $10
    ];
    const expression = expressionToSql(policy.targetExpression, fixed.length + 1);
    const sql = `
      WITH candidates AS (
        SELECT t."controller_id", t."account_id"
          FROM "ota"."targets" t
          LEFT JOIN "ota"."target_software" ts
            ON ts."target_id" = t."controller_id" AND ts."owner_account_id" = $1 AND ts."software_name" = $2
         WHERE ${expression.sql}
           AND ($9::text IS NULL OR t."account_id" = $9::text)
           AND NOT EXISTS (SELECT 1 FROM "ota"."actions" x
                            WHERE x."policy_id" = $3::uuid AND x."distribution_set_id" = $4::bigint
                              AND x."target_id" = t."controller_id")
           AND ${entitledSql({ owner: '$1', listing: '$5::text', version: '$6', major: '$7', deviceBound: '$8::boolean' })}
      ), ranked AS (
        SELECT c."controller_id", c."account_id",
               row_number() OVER (ORDER BY c."controller_id") AS rank, count(*) OVER () AS total
          FROM candidates c
      )
      INSERT INTO "ota"."actions" ("target_id", "policy_id", "distribution_set_id", "owner_account_id", "listing_id",
                                   "software_name", "software_version", "wave", "updated_at")
      SELECT r."controller_id", $3::uuid, $4::bigint, $1, $5::text, $2, $6,
             COALESCE((SELECT min(i) - 1 FROM generate_subscripts($10::int[], 1) i
                        WHERE r.rank <= ceil(($10::int[])[i] * r.total / 100.0)), 0),
             now()
        FROM ranked r
      ON CONFLICT DO NOTHING
      RETURNING "id", "target_id"`;
    const rows = await tx.$queryRawUnsafe<{ id: bigint; target_id: string }[]>(sql, ...fixed, ...expression.params);
    return this.withOwners(tx, rows, policy);
  }

  /** The EXPLAIN of the bulk statement (tests assert it is one statement using the indexes). */
  async explainMatching(tx: Tx, policy: MatchingPolicy): Promise<string[]> {
    const expression = expressionToSql(policy.targetExpression, 3);
    const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT t."controller_id" FROM "ota"."targets" t
         LEFT JOIN "ota"."target_software" ts ON ts."target_id" = t."controller_id" AND ts."owner_account_id" = $1 AND ts."software_name" = $2
        WHERE ${expression.sql}`,
      policy.ownerAccountId,
      policy.softwareName,
      ...expression.params,
    );
    return rows.map((row) => row['QUERY PLAN']);
  }

  private async withOwners(
    tx: Tx,
    rows: { id: bigint; target_id: string }[],
    policy: MatchingPolicy,
  ): Promise<CreatedAction[]> {
    if (rows.length === 0) return [];
    const owners = await tx.otaTarget.findMany({
      where: { controllerId: { in: rows.map((row) => row.target_id) } },
      select: { controllerId: true, accountId: true },
    });
    const ownerOf = new Map(owners.map((owner) => [owner.controllerId, owner.accountId]));
    return rows.map((row) => ({
      id: Number(row.id),
      targetId: row.target_id,
      accountId: ownerOf.get(row.target_id) ?? policy.ownerAccountId,
      policyId: policy.id,
      distributionSetId: policy.distributionSetId,
      listingId: policy.listingId,
      softwareVersion: policy.softwareVersion,
    }));
  }

  /** Everything the one-target tier needs about a target, in one round trip per table. */
  async loadTarget(tx: Tx, controllerId: string): Promise<MatchTargetSnapshot | null> {
    const row = await tx.otaTarget.findUnique({
      where: { controllerId },
      include: { software: { select: { ownerAccountId: true, softwareName: true, version: true } } },
    });
    if (!row) return null;
    const maker = await tx.otaAccount.findUnique({ where: { id: row.makerAccountId }, select: { orgRootId: true } });
    return {
      ownership: {
        accountId: row.accountId,
        orgRootId: row.orgRootId,
        makerAccountId: row.makerAccountId,
        makerOrgRootId: maker?.orgRootId ?? null,
      },
      attributes: {
        type: row.type,
        model: row.model,
        manufacturer: row.manufacturer,
        revision: row.revision,
        serial: row.serial,
        firmware_version: row.firmwareVersion,
        capabilities: row.capabilities,
        account: row.accountId,
        org: row.orgRootId,
        timezone: row.timezone,
      },
      software: new Map(row.software.map((s) => [softwareKey(s.ownerAccountId, s.softwareName), s.version])),
    };
  }

  /** Live grants of these listings that any of these accounts or orgs hold. */
  async grantsFor(tx: Tx, listingIds: string[], accountIds: string[], orgRootIds: string[]): Promise<Grant[]> {
    if (listingIds.length === 0) return [];
    const rows = await tx.otaGrant.findMany({
      where: {
        listingId: { in: listingIds },
        revokedAt: null,
        grantedVersion: { not: null },
        OR: [
          { scope: 'account', granteeAccountId: { in: accountIds } },
          { scope: 'org', orgRootAccountId: { in: orgRootIds } },
        ],
      },
    });
    return rows.flatMap((row) =>
      row.granteeAccountId && row.grantedVersion && (row.scope === 'account' || row.scope === 'org')
        ? [
            {
              listingId: row.listingId,
              granteeAccountId: row.granteeAccountId,
              scope: row.scope,
              orgRootAccountId: row.orgRootAccountId,
              versionScoping: (row.versionScoping ?? 'exact') as VersionScoping,
              grantedVersion: row.grantedVersion,
            },
          ]
        : [],
    );
  }

  /** First-attempt actions of these policies for one target, in one insert; existing ones are kept. */
  async insertForTarget(
    tx: Tx,
    target: { controllerId: string; accountId: string },
    policies: MatchingPolicy[],
  ): Promise<CreatedAction[]> {
    if (policies.length === 0) return [];
    const rows = await tx.otaAction.createManyAndReturn({
      data: policies.map((policy) => ({
        targetId: target.controllerId,
        policyId: policy.id,
        distributionSetId: BigInt(policy.distributionSetId),
        ownerAccountId: policy.ownerAccountId,
        listingId: policy.listingId,
        softwareName: policy.softwareName,
        softwareVersion: policy.softwareVersion,
        // A late joiner enters the wave the rollout has reached.
        wave: policy.currentWave,
      })),
      skipDuplicates: true,
      select: { id: true, policyId: true },
    });
    const byPolicy = new Map(policies.map((policy) => [policy.id, policy]));
    return rows.map((row) => {
      const policy = byPolicy.get(row.policyId)!;
      return {
        id: Number(row.id),
        targetId: target.controllerId,
        accountId: target.accountId,
        policyId: policy.id,
        distributionSetId: policy.distributionSetId,
        listingId: policy.listingId,
        softwareVersion: policy.softwareVersion,
      };
    });
  }

  /**
   * Withdraws open actions that are no longer entitled (the target changed hands, a grant was
   * revoked): undelivered ones are canceled, delivered ones move to canceling so the device is
   * told through cancelAction. One statement, history rows included.
   * @returns how many actions were withdrawn.
   */
  async withdrawUnentitled(tx: Tx, scope: { targetId: string } | { listingId: string }): Promise<number> {
    const filter = 'targetId' in scope ? `a."target_id" = $1` : `a."listing_id" = $1`;
    const value = 'targetId' in scope ? scope.targetId : scope.listingId;
    const rows = await tx.$queryRawUnsafe<CanceledRow[]>(
      `WITH withdrawn AS (
         UPDATE "ota"."actions" a
            SET "status" = (CASE WHEN a."status" = 'scheduled' THEN 'canceled' ELSE 'canceling' END)::"ota"."action_state",
                "completed_at" = CASE WHEN a."status" = 'scheduled' THEN now() ELSE a."completed_at" END,
                "updated_at" = now()
           FROM "ota"."targets" t, "ota"."policies" p
          WHERE ${filter} AND t."controller_id" = a."target_id" AND p."id" = a."policy_id"
            AND a."status" IN ${OPEN_UNCANCELED}
            AND NOT ${entitledSql({
              owner: 'a."owner_account_id"',
              listing: 'a."listing_id"',
              version: 'a."software_version"',
              major: majorSql('a."software_version"'),
              deviceBound: `(p."category" = 'device_bound')`,
            })}
         RETURNING a."id", a."status"::text AS status)
       INSERT INTO "ota"."action_status_history" ("action_id", "status", "messages", "reported_at")
       SELECT w."id", w."status", ARRAY['Update server: no longer entitled (device transferred or marketplace grant revoked).'], now()
         FROM withdrawn w
       RETURNING "action_id" AS id, "status"`,
      value,
    );
    return rows.length;
  }

  /**
   * Cancels the undelivered actions of a policy (deleted, aborted, or moved to another
   * distribution set); delivered ones finish what they started.
   */
  async cancelUndelivered(tx: Tx, policyId: string, reason: string, exceptDistributionSetId?: number): Promise<number> {
    const rows = await tx.$queryRawUnsafe<CanceledRow[]>(
      `WITH canceled AS (
         UPDATE "ota"."actions" a SET "status" = 'canceled', "completed_at" = now(), "updated_at" = now()
          WHERE a."policy_id" = $1::uuid AND a."status" = 'scheduled'
            AND ($2::bigint IS NULL OR a."distribution_set_id" <> $2::bigint)
         RETURNING a."id")
       INSERT INTO "ota"."action_status_history" ("action_id", "status", "messages", "reported_at")
       SELECT c."id", 'canceled', ARRAY[$3::text], now() FROM canceled c
       RETURNING "action_id" AS id, "status"`,
      policyId,
      exceptDistributionSetId ?? null,
      `Update server: ${reason}`,
    );
    return rows.length;
  }
}
