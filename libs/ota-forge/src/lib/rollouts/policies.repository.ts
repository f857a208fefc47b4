import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { MatchingPolicy, NewPolicy, Policy, PolicyChanges, PolicyStatus } from './domain/policy.js';

/** Where a policy's bulk match stands, as the matcher records it after each chunk. */
export interface BulkMatchState {
  /** The last controller id gone through; null: the match is complete. */
  after: string | null;
  done: number;
  candidates: number;
}

type PolicyRow = Prisma.OtaPolicyGetPayload<object>;

function toPolicy(row: PolicyRow): Policy {
  return {
    id: row.id,
    ownerAccountId: row.ownerAccountId,
    name: row.name,
    targetExpression: row.targetExpression,
    distributionSetId: Number(row.distributionSetId),
    listingId: row.listingId,
    category: row.category,
    actionType: row.actionType,
    constraints: {
      minBattery: row.minBattery,
      requireIdle: row.requireIdle,
      maintenanceWindow: row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null,
      maxConcurrent: row.maxConcurrent,
    },
    waves:
      row.wavePercentages.length > 0
        ? {
            percentages: row.wavePercentages,
            successThreshold: row.waveSuccessThreshold ?? 100,
            errorThreshold: row.waveErrorThreshold ?? 100,
          }
        : null,
    currentWave: row.currentWave,
    retry: {
      maxAttempts: row.retryMaxAttempts,
      backoffSeconds: row.retryBackoffSeconds,
      backoffMultiplier: row.retryBackoffMultiplier,
    },
    status: row.status,
    bulkMatch: {
      pending: row.bulkMatchAfter !== null,
      done: row.bulkMatchDone,
      candidates: row.bulkMatchCandidates,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function columns(policy: Partial<NewPolicy>): Prisma.OtaPolicyUncheckedUpdateInput {
  return {
    ...(policy.name !== undefined ? { name: policy.name } : {}),
    ...(policy.targetExpression !== undefined ? { targetExpression: policy.targetExpression } : {}),
    ...(policy.distributionSetId !== undefined ? { distributionSetId: BigInt(policy.distributionSetId) } : {}),
    ...(policy.actionType !== undefined ? { actionType: policy.actionType } : {}),
    ...(policy.constraints !== undefined
      ? {
          minBattery: policy.constraints.minBattery,
          requireIdle: policy.constraints.requireIdle,
          windowStart: policy.constraints.maintenanceWindow?.start ?? null,
          windowEnd: policy.constraints.maintenanceWindow?.end ?? null,
          maxConcurrent: policy.constraints.maxConcurrent,
        }
      : {}),
    ...(policy.waves !== undefined
      ? {
          wavePercentages: policy.waves?.percentages ?? [],
          waveSuccessThreshold: policy.waves?.successThreshold ?? null,
          waveErrorThreshold: policy.waves?.errorThreshold ?? null,
        }
      : {}),
    ...(policy.retry !== undefined
      ? {
          retryMaxAttempts: policy.retry.maxAttempts,
          retryBackoffSeconds: policy.retry.backoffSeconds,
          retryBackoffMultiplier: policy.retry.backoffMultiplier,
        }
      : {}),
  };
}

const matchingSelect = {
  id: true,
  ownerAccountId: true,
  targetExpression: true,
  distributionSetId: true,
  listingId: true,
  category: true,
  wavePercentages: true,
  currentWave: true,
  distributionSet: { select: { name: true, version: true } },
} satisfies Prisma.OtaPolicySelect;

function toMatching(row: Prisma.OtaPolicyGetPayload<{ select: typeof matchingSelect }>): MatchingPolicy {
  return {
    id: row.id,
    ownerAccountId: row.ownerAccountId,
    targetExpression: row.targetExpression,
    distributionSetId: Number(row.distributionSetId),
    softwareName: row.distributionSet.name,
    softwareVersion: row.distributionSet.version,
    listingId: row.listingId,
    category: row.category,
    wavePercentages: row.wavePercentages,
    currentWave: row.currentWave,
  };
}

/**
 * The version of the active policy set (count : sum of hashes of each active policy's row version
 * and its distribution set's). `xmin` is new on every insert and update, so any change to the set
 * — here or in another process — gives another version; the sum does not depend on row order.
 * Two different sets sharing a count and a sum of 64-bit hashes is not a practical concern.
 */
const activeSetVersionSql = (over: string) =>
  `(count(*) ${over})::text || ':' || COALESCE(sum(hashtextextended(
     p."id"::text || ':' || p."xmin"::text || ':' || ds."xmin"::text, 0)) ${over}, 0)::text`;

const ACTIVE_POLICIES_FROM = `"ota"."policies" p JOIN "ota"."distribution_sets" ds ON ds."id" = p."distribution_set_id"
  WHERE p."status" = 'active'`;

interface VersionedMatchingRow {
  id: string;
  ownerAccountId: string;
  targetExpression: string;
  distributionSetId: string;
  listingId: string | null;
  category: MatchingPolicy['category'];
  wavePercentages: number[];
  currentWave: number;
  softwareName: string;
  softwareVersion: string;
  setVersion: string;
}

/** Owner scope of a read: an account's own policies, or (platform admin) every policy. */
export type PolicyScope = { kind: 'all' } | { kind: 'own'; accountId: string };

const visible = (scope: PolicyScope): Prisma.OtaPolicyWhereInput => ({
  status: { not: 'deleted' },
  ...(scope.kind === 'own' ? { ownerAccountId: scope.accountId } : {}),
});

/** The only door to `ota.policies`. */
@Injectable()
export class PoliciesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insert(tx: Tx, policy: NewPolicy): Promise<Policy> {
    const row = await tx.otaPolicy.create({
      data: {
        id: policy.id,
        ownerAccountId: policy.ownerAccountId,
        name: policy.name,
        targetExpression: policy.targetExpression,
        distributionSetId: BigInt(policy.distributionSetId),
        listingId: policy.listingId,
        category: policy.category,
        actionType: policy.actionType,
        minBattery: policy.constraints.minBattery,
        requireIdle: policy.constraints.requireIdle,
        windowStart: policy.constraints.maintenanceWindow?.start ?? null,
        windowEnd: policy.constraints.maintenanceWindow?.end ?? null,
        maxConcurrent: policy.constraints.maxConcurrent,
        wavePercentages: policy.waves?.percentages ?? [],
        waveSuccessThreshold: policy.waves?.successThreshold ?? null,
        waveErrorThreshold: policy.waves?.errorThreshold ?? null,
        retryMaxAttempts: policy.retry.maxAttempts,
        retryBackoffSeconds: policy.retry.backoffSeconds,
        retryBackoffMultiplier: policy.retry.backoffMultiplier,
      },
    });
    return toPolicy(row);
  }

  async findVisible(scope: PolicyScope, id: string): Promise<Policy | null> {
    const row = await this.prisma.otaPolicy.findFirst({ where: { AND: [visible(scope), { id }] } });
    return row ? toPolicy(row) : null;
  }

  async listVisible(scope: PolicyScope): Promise<Policy[]> {
    const rows = await this.prisma.otaPolicy.findMany({
      where: visible(scope),
      orderBy: { createdAt: 'asc' },
      take: 500,
    });
    return rows.map(toPolicy);
  }

  /**
   * The policy, row-locked until the transaction ends (concurrent deliveries, wave moves, the bulk
   * matcher). NO KEY UPDATE: it must not block the key-share lock that inserting an action of the
   * policy takes (its foreign key) — a device's match holding its target would deadlock with a
   * delivery holding the policy and waiting for that target.
   */
  async lock(tx: Tx, scope: PolicyScope, id: string): Promise<Policy | null> {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "ota"."policies" WHERE "id" = ${id}::uuid AND "status" <> 'deleted' FOR NO KEY UPDATE`;
    if (!locked) return null;
    const row = await tx.otaPolicy.findFirst({ where: { AND: [visible(scope), { id }] } });
    return row ? toPolicy(row) : null;
  }

  async update(tx: Tx, id: string, changes: PolicyChanges): Promise<Policy> {
    const row = await tx.otaPolicy.update({
      where: { id },
      data: { ...columns(changes), ...(changes.status ? { status: changes.status } : {}) },
    });
    return toPolicy(row);
  }

  async setStatus(tx: Tx, id: string, status: PolicyStatus): Promise<void> {
    await tx.otaPolicy.update({ where: { id }, data: { status } });
  }

  /** Records a bulk match's progress (its row version changes too: the active set is read again). */
  async recordBulkMatch(tx: Tx, id: string, state: BulkMatchState): Promise<void> {
    await tx.$executeRaw`
      UPDATE "ota"."policies"
         SET "bulk_match_after" = ${state.after}, "bulk_match_done" = ${state.done},
             "bulk_match_candidates" = ${state.candidates}
       WHERE "id" = ${id}::uuid`;
  }

  /**
   * One active policy whose bulk match has chunks left, row-locked as {@link lock} does;
   * SKIP LOCKED, so matchers in several processes (or a write to the policy) never wait on one another.
   */
  async claimPendingBulkMatch(tx: Tx): Promise<{ id: string; state: BulkMatchState } | null> {
    const [row] = await tx.$queryRaw<{ id: string; after: string; done: number; candidates: number | null }[]>`
      SELECT "id"::text AS "id", "bulk_match_after" AS "after", "bulk_match_done" AS "done",
             "bulk_match_candidates" AS "candidates"
        FROM "ota"."policies"
       WHERE "bulk_match_after" IS NOT NULL AND "status" = 'active'
       ORDER BY "id" LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED`;
    if (!row) return null;
    return { id: row.id, state: { after: row.after, done: row.done, candidates: row.candidates ?? 0 } };
  }

  async setCurrentWave(tx: Tx, id: string, wave: number): Promise<void> {
    await tx.otaPolicy.update({ where: { id }, data: { currentWave: wave } });
  }

  async matchingPolicy(tx: Tx, id: string): Promise<MatchingPolicy | null> {
    const row = await tx.otaPolicy.findUnique({ where: { id }, select: matchingSelect });
    return row ? toMatching(row) : null;
  }

  /** Active policies, optionally of one listing: what a new target or a new grant is matched against. */
  async activeForMatching(tx: Tx, listingId?: string): Promise<MatchingPolicy[]> {
    const rows = await tx.otaPolicy.findMany({
      where: { status: 'active', ...(listingId !== undefined ? { listingId } : {}) },
      select: matchingSelect,
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toMatching);
  }

  /** The version of the active policy set: one row, whatever the number of policies. */
  async activeSetVersion(tx: Tx): Promise<string> {
    const [row] = await tx.$queryRawUnsafe<{ version: string }[]>(
      `SELECT ${activeSetVersionSql('')} AS "version" FROM ${ACTIVE_POLICIES_FROM}`,
    );
    return row?.version ?? '0:0';
  }

  /**
   * Every active policy (as {@link activeForMatching}) with the set's version read in the same
   * statement, so the version always describes exactly these rows. Raw SQL: at a thousand
   * policies the ORM's row mapping cost more than the query.
   */
  async activeForMatchingVersioned(tx: Tx): Promise<{ version: string; policies: MatchingPolicy[] }> {
    const rows = await tx.$queryRawUnsafe<VersionedMatchingRow[]>(
      `SELECT p."id"::text AS "id", p."owner_account_id" AS "ownerAccountId", p."target_expression" AS "targetExpression",
              p."distribution_set_id"::text AS "distributionSetId", p."listing_id" AS "listingId",
              p."category"::text AS "category", COALESCE(p."wave_percentages", '{}') AS "wavePercentages",
              p."current_wave" AS "currentWave", ds."name" AS "softwareName", ds."version" AS "softwareVersion",
              ${activeSetVersionSql('OVER ()')} AS "setVersion"
         FROM ${ACTIVE_POLICIES_FROM}
        ORDER BY p."created_at", p."id"`,
    );
    return {
      version: rows[0]?.setVersion ?? '0:0',
      policies: rows.map(({ setVersion: _version, distributionSetId, ...policy }) => ({
        ...policy,
        distributionSetId: Number(distributionSetId),
      })),
    };
  }

  /** Active policies that depend on a marketplace grant (any listing). */
  async activeWithListing(tx: Tx): Promise<MatchingPolicy[]> {
    const rows = await tx.otaPolicy.findMany({
      where: { status: 'active', listingId: { not: null } },
      select: matchingSelect,
    });
    return rows.map(toMatching);
  }

  /** Whether the account authored a policy of this listing (reporting access without the listing known). */
  async ownsPolicyOfListing(accountId: string, listingId: string): Promise<boolean> {
    const row = await this.prisma.otaPolicy.findFirst({
      where: { ownerAccountId: accountId, listingId },
      select: { id: true },
    });
    return row !== null;
  }
}
