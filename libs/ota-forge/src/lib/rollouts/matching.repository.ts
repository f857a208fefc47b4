import { Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import type { CreatedAction } from './domain/action.js';
import { majorOf, type Grant, type TargetOwnership, type VersionScoping } from './domain/entitlement.js';
import { softwareKey } from './domain/compiled-policy-set.js';
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

/**
 * The targets a policy matches, is entitled to and has no action on yet; $1-$8 the policy
 * ({@link MatchingRepository.candidateParams}), $9 one owner or NULL, the expression's from there;
 * `after` the controller id they follow ('' sorts before every one: a plain range keeps the
 * primary key usable where an OR with NULL would not).
 */
const candidatesSql = (expression: string, after = "''") => `
        SELECT t."controller_id", t."account_id"
          FROM "ota"."targets" t
          LEFT JOIN "ota"."target_software" ts
            ON ts."target_id" = t."controller_id" AND ts."owner_account_id" = $1 AND ts."software_name" = $2
         WHERE ${expression}
           AND ($9::text IS NULL OR t."account_id" = $9::text)
           AND t."controller_id" > ${after}
           -- The range again on x: the policy's actions are read from the chunk on, not all of them
           -- (at a million targets the last chunks would otherwise sort the 950,000 made before).
           AND NOT EXISTS (SELECT 1 FROM "ota"."actions" x
                            WHERE x."policy_id" = $3::uuid AND x."distribution_set_id" = $4::bigint
                              AND x."target_id" > ${after} AND x."target_id" = t."controller_id")
           AND ${entitledSql({ owner: '$1', listing: '$5::text', version: '$6', major: '$7', deviceBound: '$8::boolean' })}`;

/**
 * For the rest of a bulk-matching transaction: at a million targets the planner's estimates are
 * huge, and JIT compiling the statement cost seconds; work_mem keeps the id join in memory.
 */
const BULK_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)`;

const OPEN_UNCANCELED = `('scheduled','retrieved','running','downloading','downloaded')`;

export interface MatchTargetSnapshot {
  ownership: TargetOwnership;
  /** Static attributes in @flexgalaxy/targeting's vocabulary (software_version added per policy). */
  attributes: TargetAttributes;
  /** Installed version per software ("owner\u0000name"). */
  software: Map<string, string>;
}

interface TargetSnapshotRow {
  accountId: string;
  orgRootId: string | null;
  makerAccountId: string;
  makerOrgRootId: string | null;
  type: string;
  model: string | null;
  manufacturer: string;
  revision: string | null;
  serial: string;
  firmwareVersion: string | null;
  capabilities: string[] | null;
  timezone: string | null;
  /** [owner account, software name, installed version] per installed software. */
  software: [string, string, string][];
}

/** Which part of the targets one bulk-matching statement goes through. */
export type MatchScope =
  /** One owner's targets, all at once (its org placement just became known). */
  | { onlyAccountId: string }
  /**
   * The next `limit` candidates in controller id order after `after` (null: from the first);
   * waves rank them from `rankOffset` among `candidates` (counted when the match started).
   */
  | { after: string | null; limit: number; rankOffset: number; candidates: number };

export interface MatchedChunk {
  /** Actions created (a concurrent match of the same policy may have made some of the others). */
  created: number;
  /** Candidates the statement went through, and the last one's controller id. */
  selected: number;
  last: string | null;
}

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
   * Creates the actions of `policy` for the matching, entitled targets of `scope` that have none
   * yet, and announces each (ota.action.created), in ONE statement: match, rank into waves,
   * insert and append to the outbox together — never a query per target, no row brought into
   * this process.
   */
  async insertMatching(tx: Tx, policy: MatchingPolicy, scope: MatchScope): Promise<MatchedChunk> {
    const chunk = 'after' in scope ? scope : null;
    const withWaves = policy.wavePercentages.length > 0;
    const fixed: unknown[] = [
      ...this.candidateParams(policy),
      'onlyAccountId' in scope ? scope.onlyAccountId : null, // $9
      chunk?.after ?? null, // $10
      chunk?.limit ?? null, // $11
      // $12-$14, only with waves: a parameter the statement does not use has no type and is refused.
      ...(withWaves ? [policy.wavePercentages, chunk?.rankOffset ?? 0, chunk?.candidates ?? null] : []),
    ];
    const expression = expressionToSql(policy.targetExpression, fixed.length + 1);
    // Ranked in controller id order, continuing the previous chunks' numbering; one scope of
    // one account is ranked among itself. Without waves every action is in wave 0: no ranking.
    const ranked = withWaves
      ? `(SELECT c.*, row_number() OVER (ORDER BY c."controller_id") + $13::int AS rank,
                 COALESCE($14::int, count(*) OVER ()) AS total FROM candidates c) c`
      : 'candidates c';
    const waveSql = withWaves
      ? `COALESCE((SELECT min(i) - 1 FROM generate_subscripts($12::int[], 1) i
                    WHERE c.rank <= ceil(($12::int[])[i] * c.total / 100.0)), 0)`
      : '0';
    const sql = `
      WITH candidates AS (
        ${candidatesSql(expression.sql, `COALESCE($10::text, '')`)}
         ORDER BY t."controller_id"
         LIMIT $11::int
      ), ranked AS MATERIALIZED (
        -- Ids drawn here so each event is joined to its action by a bigint, not by target id.
        SELECT nextval('"ota"."actions_id_seq"') AS "id", c."controller_id", c."account_id", ${waveSql} AS "wave"
          FROM ${ranked}
      ), inserted AS (
        INSERT INTO "ota"."actions" ("id", "target_id", "policy_id", "distribution_set_id", "owner_account_id", "listing_id",
                                     "software_name", "software_version", "wave", "updated_at")
        SELECT r."id", r."controller_id", $3::uuid, $4::bigint, $1, $5::text, $2, $6, r."wave", now()
          FROM ranked r
        ON CONFLICT DO NOTHING
        RETURNING "id"
      ), announced AS (
        ${OutboxWriter.insertSelectSql('ota.action.created', {
          accountId: 'r."account_id"',
          deviceId: 'r."controller_id"',
          payload: `jsonb_build_object('actionId', r."id"::text, 'deviceId', r."controller_id",
                      'distributionSetId', $4::bigint::text, 'policyId', $3::uuid::text,
                      'listingId', $5::text, 'softwareVersion', $6::text)`,
          // Only what was inserted: a concurrent match of the same policy may have made some.
          from: 'ranked r JOIN inserted i ON i."id" = r."id"',
        })}
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM announced)::int AS "created", (SELECT count(*) FROM ranked)::int AS "selected",
             (SELECT max(r."controller_id") FROM ranked r) AS "last"`;
    await tx.$executeRawUnsafe(BULK_SETTINGS);
    const [row] = await tx.$queryRawUnsafe<MatchedChunk[]>(sql, ...fixed, ...expression.params);
    return row ?? { created: 0, selected: 0, last: null };
  }

  /** How many targets a bulk match of `policy` would go through (its progress and wave total). */
  async countCandidates(tx: Tx, policy: MatchingPolicy): Promise<number> {
    const fixed = [...this.candidateParams(policy), null];
    const expression = expressionToSql(policy.targetExpression, fixed.length + 1);
    await tx.$executeRawUnsafe(BULK_SETTINGS);
    const [row] = await tx.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS "count" FROM (${candidatesSql(expression.sql)}) c`,
      ...fixed,
      ...expression.params,
    );
    return row?.count ?? 0;
  }

  /** $1-$8 of {@link candidatesSql}. */
  private candidateParams(policy: MatchingPolicy): unknown[] {
    return [
      policy.ownerAccountId, // $1
      policy.softwareName, // $2
      policy.id, // $3
      policy.distributionSetId, // $4
      policy.listingId, // $5
      policy.softwareVersion, // $6
      majorOf(policy.softwareVersion), // $7
      policy.category === 'device_bound', // $8
    ];
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

  /** Everything the one-target tier needs about a target, in one round trip. */
  async loadTarget(tx: Tx, controllerId: string): Promise<MatchTargetSnapshot | null> {
    const [row] = await tx.$queryRawUnsafe<TargetSnapshotRow[]>(
      `SELECT t."account_id" AS "accountId", t."org_root_id" AS "orgRootId", t."maker_account_id" AS "makerAccountId",
              (SELECT m."org_root_id" FROM "ota"."accounts" m WHERE m."id" = t."maker_account_id") AS "makerOrgRootId",
              t."type", t."model", t."manufacturer", t."revision", t."serial", t."firmware_version" AS "firmwareVersion",
              t."capabilities", t."timezone",
              COALESCE((SELECT json_agg(json_build_array(s."owner_account_id", s."software_name", s."version"))
                          FROM "ota"."target_software" s WHERE s."target_id" = t."controller_id"), '[]') AS "software"
         FROM "ota"."targets" t WHERE t."controller_id" = $1`,
      controllerId,
    );
    if (!row) return null;
    return {
      ownership: {
        accountId: row.accountId,
        orgRootId: row.orgRootId,
        makerAccountId: row.makerAccountId,
        makerOrgRootId: row.makerOrgRootId,
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
      software: new Map(row.software.map(([owner, name, version]) => [softwareKey(owner, name), version])),
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

  /**
   * First-attempt actions of these policies for one target, each announced (ota.action.created),
   * in ONE statement as the bulk tier does; existing ones are kept and not announced again.
   */
  async insertAndAnnounceForTarget(
    tx: Tx,
    target: { controllerId: string; accountId: string },
    policies: MatchingPolicy[],
  ): Promise<CreatedAction[]> {
    if (policies.length === 0) return [];
    const rows = await tx.$queryRawUnsafe<{ id: string; policyId: string }[]>(
      `WITH wanted AS (
         SELECT * FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
                  WITH ORDINALITY AS w("policy_id", "distribution_set_id", "owner_account_id", "listing_id",
                                       "software_name", "software_version", "wave", "position")
       ), inserted AS (
         INSERT INTO "ota"."actions" ("target_id", "policy_id", "distribution_set_id", "owner_account_id", "listing_id",
                                      "software_name", "software_version", "wave", "updated_at")
         SELECT $1, w."policy_id", w."distribution_set_id", w."owner_account_id", w."listing_id",
                w."software_name", w."software_version", w."wave", now()
           FROM wanted w ORDER BY w."position"
         ON CONFLICT DO NOTHING
         RETURNING "id", "policy_id", "distribution_set_id", "listing_id", "software_version"
       ), announced AS (
         ${OutboxWriter.insertSelectSql('ota.action.created', {
           accountId: '$2',
           deviceId: '$1',
           payload: `jsonb_build_object('actionId', i."id"::text, 'deviceId', $1::text,
                       'distributionSetId', i."distribution_set_id"::text, 'policyId', i."policy_id"::text,
                       'listingId', i."listing_id", 'softwareVersion', i."software_version")`,
           from: 'inserted i',
         })}
       )
       SELECT i."id"::text AS "id", i."policy_id"::text AS "policyId" FROM inserted i ORDER BY i."id"`,
      target.controllerId,
      target.accountId,
      policies.map((policy) => policy.id),
      policies.map((policy) => policy.distributionSetId),
      policies.map((policy) => policy.ownerAccountId),
      policies.map((policy) => policy.listingId),
      policies.map((policy) => policy.softwareName),
      policies.map((policy) => policy.softwareVersion),
      // A late joiner enters the wave the rollout has reached.
      policies.map((policy) => policy.currentWave),
    );
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
