import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import { naturalSortKey } from '@flexgalaxy/targeting';
import type { ActionView } from './domain/action.js';
import type { ActionState } from './domain/feedback.js';
import type { WaveProgress } from './domain/waves.js';

/** An action with what its transitions and events need, row-locked by {@link ActionsRepository.lockForTarget}. */
export interface ActionRecord {
  id: number;
  targetId: string;
  /** The target's owner now (events are scoped to it). */
  targetAccountId: string;
  policyId: string;
  distributionSetId: number;
  ownerAccountId: string;
  listingId: string | null;
  softwareName: string;
  softwareVersion: string;
  status: ActionState;
  attempt: number;
  wave: number;
}

export interface HistoryEntry {
  status: string;
  messages: string[];
  code?: number | null;
  reportedAt?: Date;
}

interface LockedRow {
  id: bigint;
  target_id: string;
  account_id: string;
  policy_id: string;
  distribution_set_id: bigint;
  owner_account_id: string;
  listing_id: string | null;
  software_name: string;
  software_version: string;
  status: ActionState;
  attempt: number;
  wave: number;
}

export interface SoftwareReport {
  matched: number;
  downloading: number;
  installed: number;
  failed: number;
  trend: { day: string; installed: number; failed: number }[];
}

const RETRIEVED_MESSAGE = 'Update server: target retrieved the deployment and should start the download now.';

const historyOf = (actionId: number, entry: HistoryEntry) => ({
  actionId: BigInt(actionId),
  status: entry.status,
  messages: entry.messages,
  code: entry.code ?? null,
  reportedAt: entry.reportedAt ?? new Date(),
});

/** Actions' lifecycle: delivery, device feedback, retries, waves, installed software, reports. */
@Injectable()
export class ActionsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** The action if it is this target's, locked until the transaction ends; null otherwise. */
  async lockForTarget(tx: Tx, actionId: number, targetId: string): Promise<ActionRecord | null> {
    await this.lockTargetFirst(tx, targetId);
    const [row] = await tx.$queryRaw<LockedRow[]>`
      SELECT a."id", a."target_id", t."account_id", a."policy_id"::text AS policy_id, a."distribution_set_id",
             a."owner_account_id", a."listing_id", a."software_name", a."software_version", a."status", a."attempt", a."wave"
        FROM "ota"."actions" a JOIN "ota"."targets" t ON t."controller_id" = a."target_id"
       WHERE a."id" = ${BigInt(actionId)} AND a."target_id" = ${targetId}
         FOR UPDATE OF a`;
    if (!row) return null;
    return {
      id: Number(row.id),
      targetId: row.target_id,
      targetAccountId: row.account_id,
      policyId: row.policy_id,
      distributionSetId: Number(row.distribution_set_id),
      ownerAccountId: row.owner_account_id,
      listingId: row.listing_id,
      softwareName: row.software_name,
      softwareVersion: row.software_version,
      status: row.status,
      attempt: row.attempt,
      wave: row.wave,
    };
  }

  async transition(tx: Tx, actionId: number, next: ActionState, entry: HistoryEntry, terminal: boolean): Promise<void> {
    await tx.otaAction.update({
      where: { id: BigInt(actionId) },
      data: { status: next, deferredReason: null, ...(terminal ? { completedAt: new Date() } : {}) },
    });
    await tx.otaActionStatus.create({ data: historyOf(actionId, entry) });
  }

  async appendHistory(tx: Tx, actionId: number, entry: HistoryEntry): Promise<void> {
    await tx.otaActionStatus.create({ data: historyOf(actionId, entry) });
  }

  /** Hands a scheduled action to its device; false if someone else moved it first. */
  async claim(tx: Tx, actionId: number, targetId: string): Promise<boolean> {
    await this.lockTargetFirst(tx, targetId);
    const { count } = await tx.otaAction.updateMany({
      where: { id: BigInt(actionId), status: 'scheduled' },
      data: { status: 'retrieved', deferredReason: null },
    });
    if (count === 0) return false;
    await tx.otaActionStatus.create({
      data: historyOf(actionId, {
        status: 'retrieved',
        messages: [RETRIEVED_MESSAGE],
      }),
    });
    return true;
  }

  /**
   * {@link claim} for several actions in one statement of its own (each update and its history
   * row commit together), for claims that need no transaction around them: a rollout's first polls
   * are all claims, and one prepared round trip for many costs a fraction of a Prisma transaction
   * each. @returns the ids it claimed (the others were no longer scheduled).
   */
  async claimEach(actionIds: readonly number[]): Promise<Map<number, true>> {
    const rows = await this.prisma.connection.sql.queryPrepared<{ action_id: unknown }>(
      'ota_claim_actions',
      `WITH claimed AS (
         UPDATE "ota"."actions" SET "status" = 'retrieved', "deferred_reason" = NULL, "updated_at" = now()
          WHERE "id" = ANY($1::bigint[]) AND "status" = 'scheduled'
          RETURNING "id")
       INSERT INTO "ota"."action_status_history" ("action_id", "status", "messages", "reported_at")
       SELECT "id", 'retrieved', ARRAY[$2::text], now() FROM claimed
       RETURNING "action_id"`,
      [actionIds, RETRIEVED_MESSAGE],
    );
    return new Map(rows.map((row) => [Number(row.action_id), true]));
  }

  /** Remembers why the last poll deferred the action (written only when the reason changes). */
  async markDeferred(actionId: number, reason: string): Promise<void> {
    await this.prisma.otaAction.updateMany({
      where: {
        id: BigInt(actionId),
        status: 'scheduled',
        OR: [{ deferredReason: null }, { deferredReason: { not: reason } }],
      },
      data: { deferredReason: reason },
    });
  }

  /** Installs of the policy under way (delivered, not finished): "max concurrent installs". */
  async countInProgress(tx: Tx, policyId: string): Promise<number> {
    return tx.otaAction.count({
      where: { policyId, status: { in: ['retrieved', 'running', 'downloading', 'downloaded'] } },
    });
  }

  async insertRetry(tx: Tx, failed: ActionRecord, attempt: number, notBefore: Date): Promise<number> {
    const row = await tx.otaAction.create({
      data: {
        targetId: failed.targetId,
        policyId: failed.policyId,
        distributionSetId: BigInt(failed.distributionSetId),
        ownerAccountId: failed.ownerAccountId,
        listingId: failed.listingId,
        softwareName: failed.softwareName,
        softwareVersion: failed.softwareVersion,
        wave: failed.wave,
        attempt,
        notBefore,
      },
      select: { id: true },
    });
    await tx.otaActionStatus.create({
      data: historyOf(Number(row.id), {
        status: 'scheduled',
        messages: [`Update server: retry ${attempt} of action ${failed.id}, not before ${notBefore.toISOString()}.`],
      }),
    });
    return Number(row.id);
  }

  /** A wave's targets by outcome; a target counts as failed only once its last attempt failed. */
  async waveProgress(tx: Tx, policyId: string, distributionSetId: number, wave: number): Promise<WaveProgress> {
    const [row] = await tx.$queryRaw<{ total: bigint; succeeded: bigint; failed: bigint }[]>`
      WITH latest AS (
        SELECT DISTINCT ON (a."target_id") a."target_id", a."status"
          FROM "ota"."actions" a
         WHERE a."policy_id" = ${policyId}::uuid AND a."distribution_set_id" = ${BigInt(distributionSetId)}
           AND a."wave" = ${wave} AND a."status" <> 'canceled'
         ORDER BY a."target_id", a."attempt" DESC)
      SELECT count(*) AS total,
             count(*) FILTER (WHERE "status" = 'finished') AS succeeded,
             count(*) FILTER (WHERE "status" = 'failed') AS failed
        FROM latest`;
    return { total: Number(row?.total ?? 0), succeeded: Number(row?.succeeded ?? 0), failed: Number(row?.failed ?? 0) };
  }

  /** seed 000 §2: the installed version becomes the target's `software_version` for that software. */
  async recordInstalled(tx: Tx, action: ActionRecord, at: Date): Promise<void> {
    const fields = {
      version: action.softwareVersion,
      versionKey: naturalSortKey(action.softwareVersion),
      listingId: action.listingId,
      actionId: BigInt(action.id),
      installedAt: at,
    };
    await tx.otaTargetSoftware.upsert({
      where: {
        targetId_ownerAccountId_softwareName: {
          targetId: action.targetId,
          ownerAccountId: action.ownerAccountId,
          softwareName: action.softwareName,
        },
      },
      create: {
        targetId: action.targetId,
        ownerAccountId: action.ownerAccountId,
        softwareName: action.softwareName,
        ...fields,
      },
      update: fields,
    });
    // hawkBit asks for the device's attributes again after a successful update.
    await tx.otaTarget.update({ where: { controllerId: action.targetId }, data: { requestConfigData: true } });
  }

  /** Undelivered actions of a policy's later waves are held back until the rollout resumes; an abort cancels them. */
  async cancelScheduledOfPolicy(tx: Tx, policyId: string, message: string): Promise<void> {
    const ids = await tx.otaAction.findMany({ where: { policyId, status: 'scheduled' }, select: { id: true } });
    if (ids.length === 0) return;
    await tx.otaAction.updateMany({
      where: { id: { in: ids.map((row) => row.id) } },
      data: { status: 'canceled', completedAt: new Date() },
    });
    await tx.otaActionStatus.createMany({
      data: ids.map((row) => historyOf(Number(row.id), { status: 'canceled', messages: [message] })),
    });
  }

  async listForTarget(targetId: string): Promise<ActionView[]> {
    const rows = await this.prisma.otaAction.findMany({
      where: { targetId },
      include: { history: { orderBy: { id: 'asc' } } },
      orderBy: { id: 'desc' },
      take: 100,
    });
    return rows.map((row) => ({
      id: Number(row.id),
      deviceId: row.targetId,
      policyId: row.policyId,
      distributionSetId: Number(row.distributionSetId),
      listingId: row.listingId,
      softwareName: row.softwareName,
      softwareVersion: row.softwareVersion,
      status: row.status,
      attempt: row.attempt,
      wave: row.wave,
      deferredReason: row.deferredReason,
      notBefore: row.notBefore,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      history: row.history.map((entry) => ({
        status: entry.status,
        messages: entry.messages,
        code: entry.code,
        at: entry.reportedAt,
      })),
    }));
  }

  /** The last `count` history messages of an action, newest first (DDI actionHistory). */
  async recentMessages(actionId: number, count: number): Promise<string[]> {
    const rows = await this.prisma.otaActionStatus.findMany({
      where: { actionId: BigInt(actionId) },
      orderBy: { id: 'desc' },
      ...(count >= 0 ? { take: count } : {}),
    });
    return rows.flatMap((row) => row.messages);
  }

  /**
   * Aggregates of a listing's deployments (never device ids): per target its latest attempt of the
   * listing's software decides where it counts; the trend counts completions per UTC day.
   */
  async softwareReport(listingId: string, version: string | null, days: number): Promise<SoftwareReport> {
    const [counts] = await this.prisma.$queryRawUnsafe<
      { matched: bigint; downloading: bigint; installed: bigint; failed: bigint }[]
    >(
      `WITH latest AS (
         SELECT DISTINCT ON (a."target_id") a."target_id", a."status"
           FROM "ota"."actions" a
          WHERE a."listing_id" = $1 AND ($2::text IS NULL OR a."software_version" = $2::text) AND a."status" <> 'canceled'
          ORDER BY a."target_id", (a."status" = 'finished') DESC, a."id" DESC)
       SELECT count(*) AS matched,
              count(*) FILTER (WHERE "status" IN ('retrieved','running','downloading','downloaded')) AS downloading,
              count(*) FILTER (WHERE "status" = 'finished') AS installed,
              count(*) FILTER (WHERE "status" = 'failed') AS failed
         FROM latest`,
      listingId,
      version,
    );
    const trend = await this.prisma.$queryRawUnsafe<{ day: string; installed: bigint; failed: bigint }[]>(
      `SELECT to_char(date_trunc('day', a."completed_at" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE a."status" = 'finished') AS installed,
              count(*) FILTER (WHERE a."status" = 'failed') AS failed
         FROM "ota"."actions" a
        WHERE a."listing_id" = $1 AND ($2::text IS NULL OR a."software_version" = $2::text)
          AND a."status" IN ('finished', 'failed') AND a."completed_at" >= now() - make_interval(days => $3::int)
        GROUP BY 1 ORDER BY 1`,
      listingId,
      version,
      days,
    );
    return {
      matched: Number(counts?.matched ?? 0),
      downloading: Number(counts?.downloading ?? 0),
      installed: Number(counts?.installed ?? 0),
      failed: Number(counts?.failed ?? 0),
      trend: trend.map((row) => ({ day: row.day, installed: Number(row.installed), failed: Number(row.failed) })),
    };
  }

  /**
   * The target row, before any of its actions, as a device's event handler and target writes take
   * them. A transaction that holds an action while it goes on (a delivery's hawkBit assignment, a
   * feedback's writes, which take the target's key-share lock) and a re-match of the same target
   * would otherwise wait for each other: a deadlock, found only after deadlock_timeout (1 s).
   */
  private async lockTargetFirst(tx: Tx, targetId: string): Promise<void> {
    await tx.$executeRaw`SELECT 1 FROM "ota"."targets" WHERE "controller_id" = ${targetId} FOR NO KEY UPDATE`;
  }
}
