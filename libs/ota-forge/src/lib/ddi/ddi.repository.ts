import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import type { Artifact } from '../catalog/catalog.repository.js';
import type { RolloutConstraints } from '../rollouts/domain/constraints.js';
import type { ActionState } from '../rollouts/domain/feedback.js';
import type { ActionType, PolicyStatus } from '../rollouts/domain/policy.js';

/** What one poll needs, read in one indexed statement (target by token hash + its open action). */
export interface PollSnapshot {
  controllerId: string;
  enabled: boolean;
  timezone: string;
  requestConfigData: boolean;
  installedActionId: number | null;
  action: {
    id: number;
    status: ActionState;
    wave: number;
    notBefore: Date | null;
    deferredReason: string | null;
    policyId: string;
    policyStatus: PolicyStatus;
    currentWave: number;
    constraints: RolloutConstraints;
    maxConcurrent: number | null;
  } | null;
}

interface PollRow extends Record<string, unknown> {
  security_token_hash: string;
  controller_id: string;
  enabled: boolean;
  timezone: string | null;
  request_config_data: boolean;
  // int8: a string from node-postgres, a bigint from PGlite.
  installed_action_id: string | bigint | null;
  action_id: string | bigint | null;
  action_status: ActionState | null;
  wave: number | null;
  not_before: Date | null;
  deferred_reason: string | null;
  policy_id: string | null;
  policy_status: PolicyStatus | null;
  current_wave: number | null;
  min_battery: number | null;
  require_idle: boolean | null;
  window_start: string | null;
  window_end: string | null;
  max_concurrent: number | null;
}

// The hashes are cast to the column's char(64): compared as text they would lose the unique index
// (a scan of every target per poll).
const POLL_SNAPSHOTS_SQL = `
  SELECT t."security_token_hash", t."controller_id", t."enabled", t."timezone", t."request_config_data",
         i."id" AS installed_action_id,
         a."id" AS action_id, a."status" AS action_status, a."wave", a."not_before", a."deferred_reason",
         p."id"::text AS policy_id, p."status" AS policy_status, p."current_wave", p."min_battery", p."require_idle",
         p."window_start", p."window_end", p."max_concurrent"
    FROM "ota"."targets" t
    LEFT JOIN LATERAL (
      SELECT x."id", x."status", x."wave", x."not_before", x."deferred_reason", x."policy_id"
        FROM "ota"."actions" x
       WHERE x."target_id" = t."controller_id"
         AND x."status" IN ('scheduled', 'retrieved', 'running', 'downloading', 'downloaded', 'canceling')
       ORDER BY (x."status" = 'scheduled'), x."id"
       LIMIT 1) a ON true
    LEFT JOIN "ota"."policies" p ON p."id" = a."policy_id"
    LEFT JOIN LATERAL (
      SELECT y."id" FROM "ota"."actions" y
       WHERE y."target_id" = t."controller_id" AND y."status" = 'finished'
       ORDER BY y."id" DESC LIMIT 1) i ON true
   WHERE t."security_token_hash" = ANY($1::char(64)[])`;

/** The deployment of one action, as deploymentBase / installedBase describe it. */
export interface Deployment {
  actionId: number;
  status: ActionState;
  actionType: ActionType;
  maintenanceWindow: { start: string; end: string } | null;
  timezone: string;
  chunks: { moduleId: number; part: string; version: string; name: string; artifacts: Artifact[] }[];
}

/**
 * The DDI's reads. Every query is keyed by the authenticated target, so a device can never reach
 * another target's action or artifact: a foreign id simply finds nothing.
 */
@Injectable()
export class DdiRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * One statement for the polls of many targets: each target by its token hash (unique index),
   * its first open action (partial index actions_open_by_target_idx; a delivered one before an
   * undelivered one), the action's policy (primary key) and its last installed action.
   * @returns the snapshots by token hash; an unknown hash has none.
   */
  async pollSnapshots(tokenHashes: readonly string[]): Promise<Map<string, PollSnapshot>> {
    // Every poll runs this: a named statement skips PostgreSQL's parse and plan (which cost
    // several times the execution) and Prisma's query pipeline (several times node-postgres').
    const rows = await this.prisma.connection.sql.queryPrepared<PollRow>('ddi_poll_snapshots', POLL_SNAPSHOTS_SQL, [
      tokenHashes,
    ]);
    return new Map(rows.map((row) => [row.security_token_hash, toPollSnapshot(row)]));
  }

  /** The action with its distribution set's modules and artifacts, if it is this target's. */
  async deployment(targetId: string, actionId: number): Promise<Deployment | null> {
    const action = await this.prisma.otaAction.findFirst({
      where: { id: BigInt(actionId), targetId },
      include: {
        target: { select: { timezone: true } },
        policy: { select: { actionType: true, windowStart: true, windowEnd: true } },
        distributionSet: {
          include: {
            modules: { include: { module: { include: { artifacts: true } } }, orderBy: { softwareModuleId: 'asc' } },
          },
        },
      },
    });
    if (!action) return null;
    return {
      actionId: Number(action.id),
      status: action.status,
      actionType: action.policy.actionType,
      maintenanceWindow:
        action.policy.windowStart && action.policy.windowEnd
          ? { start: action.policy.windowStart, end: action.policy.windowEnd }
          : null,
      timezone: action.target.timezone ?? 'UTC',
      chunks: action.distributionSet.modules.map(({ module }) => ({
        moduleId: Number(module.id),
        part: module.type,
        version: module.version,
        name: module.name,
        artifacts: [...module.artifacts]
          .sort((a, b) => Number(a.id - b.id))
          .map((artifact) => ({
            id: Number(artifact.id),
            softwareModuleId: Number(artifact.softwareModuleId),
            filename: artifact.filename,
            size: Number(artifact.size),
            sha1: artifact.sha1,
            md5: artifact.md5,
            sha256: artifact.sha256,
            hawkbitId: artifact.hawkbitId === null ? null : Number(artifact.hawkbitId),
            createdAt: artifact.createdAt,
          })),
      })),
    };
  }

  /**
   * An artifact this target may download: its module is in the distribution set of one of the
   * target's delivered or installed actions (hawkBit's artifact access check). Returns that action.
   */
  async downloadable(
    targetId: string,
    moduleId: number,
    filename: string,
  ): Promise<{ artifact: Artifact; actionId: number; actionStatus: ActionState } | null> {
    const artifact = await this.prisma.otaArtifact.findUnique({
      where: { softwareModuleId_filename: { softwareModuleId: BigInt(moduleId), filename } },
    });
    if (!artifact) return null;
    const action = await this.prisma.otaAction.findFirst({
      where: {
        targetId,
        status: { in: ['retrieved', 'running', 'downloading', 'downloaded', 'finished'] },
        distributionSet: { modules: { some: { softwareModuleId: BigInt(moduleId) } } },
      },
      orderBy: { id: 'desc' },
      select: { id: true, status: true },
    });
    if (!action) return null;
    return {
      artifact: {
        id: Number(artifact.id),
        softwareModuleId: Number(artifact.softwareModuleId),
        filename: artifact.filename,
        size: Number(artifact.size),
        sha1: artifact.sha1,
        md5: artifact.md5,
        sha256: artifact.sha256,
        hawkbitId: artifact.hawkbitId === null ? null : Number(artifact.hawkbitId),
        createdAt: artifact.createdAt,
      },
      actionId: Number(action.id),
      actionStatus: action.status,
    };
  }

  /** Stores what the device reports about itself (configData); it stops being asked for it. */
  async updateConfigData(
    targetId: string,
    mode: 'merge' | 'replace' | 'remove',
    data: Record<string, string>,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx: Tx) => {
      const [row] = await tx.$queryRaw<{ config_data: Record<string, string> }[]>`
        SELECT "config_data" FROM "ota"."targets" WHERE "controller_id" = ${targetId} FOR UPDATE`;
      const current = row?.config_data ?? {};
      const next =
        mode === 'replace'
          ? data
          : mode === 'remove'
            ? Object.fromEntries(Object.entries(current).filter(([key]) => !(key in data)))
            : { ...current, ...data };
      await tx.otaTarget.update({
        where: { controllerId: targetId },
        data: { configData: next, requestConfigData: false },
      });
    });
  }

  /** The device acknowledged or refused a cancellation. */
  async closeCancellation(tx: Tx, actionId: number, accepted: boolean, messages: string[]): Promise<void> {
    await tx.otaAction.update({
      where: { id: BigInt(actionId) },
      data: accepted ? { status: 'canceled', completedAt: new Date() } : { status: 'running' },
    });
    await tx.otaActionStatus.create({
      data: {
        actionId: BigInt(actionId),
        status: accepted ? 'canceled' : 'cancel_rejected',
        messages,
        reportedAt: new Date(),
      },
    });
  }
}

function toPollSnapshot(row: PollRow): PollSnapshot {
  return {
    controllerId: row.controller_id,
    enabled: row.enabled,
    timezone: row.timezone ?? 'UTC',
    requestConfigData: row.request_config_data,
    installedActionId: row.installed_action_id === null ? null : Number(row.installed_action_id),
    action:
      row.action_id === null || row.action_status === null || row.policy_id === null
        ? null
        : {
            id: Number(row.action_id),
            status: row.action_status,
            wave: row.wave ?? 0,
            notBefore: row.not_before ? new Date(row.not_before) : null,
            deferredReason: row.deferred_reason,
            policyId: row.policy_id,
            policyStatus: row.policy_status ?? 'active',
            currentWave: row.current_wave ?? 0,
            constraints: {
              minBattery: row.min_battery,
              requireIdle: row.require_idle ?? false,
              maintenanceWindow:
                row.window_start && row.window_end ? { start: row.window_start, end: row.window_end } : null,
            },
            maxConcurrent: row.max_concurrent,
          },
  };
}
