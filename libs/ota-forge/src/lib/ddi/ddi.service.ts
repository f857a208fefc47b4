import type { ReadStream } from 'node:fs';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DEVICE_REGISTRY, type DeviceRegistry } from '@flexgalaxy/adapters';
import type { Tx } from '@flexgalaxy/db';
import { ArtifactStore } from '../catalog/artifact-store.js';
import type { Artifact } from '../catalog/catalog.repository.js';
import { formatSleep, OTA_FORGE_CONFIG, sleepSeconds, type OtaForgeConfig } from '../ota-forge.config.js';
import { ActionsRepository } from '../rollouts/actions.repository.js';
import {
  checkRuntime,
  checkWindow,
  needsRuntimeState,
  runtimeStateOf,
  type Deferral,
  type RuntimeState,
} from '../rollouts/domain/constraints.js';
import type { ActionState } from '../rollouts/domain/feedback.js';
import { isWithinWindow } from '../rollouts/domain/maintenance-window.js';
import { PoliciesRepository } from '../rollouts/policies.repository.js';
import { RecordFeedbackUseCase, type Feedback } from '../rollouts/use-cases/record-feedback.use-case.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { DdiRepository, type Deployment, type PollSnapshot } from './ddi.repository.js';
import type { CancelResponse, ControllerBase, DeploymentBase } from './ddi.dto.js';
import { ActionNotActiveError, DdiResourceNotFoundError } from './ddi.errors.js';
import { ScheduledActionClaims } from './scheduled-action-claims.js';

/** Where a device's DDI resources live: `<base>/<tenant>/controller/v1/<controllerId>`. */
export interface DdiLinks {
  root: string;
}

const HAWKBIT_STATUS: Record<ActionState, string> = {
  scheduled: 'SCHEDULED',
  retrieved: 'RETRIEVED',
  running: 'RUNNING',
  downloading: 'DOWNLOAD',
  downloaded: 'DOWNLOADED',
  finished: 'FINISHED',
  failed: 'ERROR',
  canceling: 'CANCELING',
  canceled: 'CANCELED',
};

/** Thrown by a claim hook to undo the claim and defer the action instead. */
export class DeliveryRefusedError extends Error {
  constructor(readonly deferral: Deferral) {
    super(`delivery refused: ${deferral.reason}`);
  }
}

const DELIVERED: readonly ActionState[] = ['retrieved', 'running', 'downloading', 'downloaded', 'finished', 'failed'];

/**
 * hawkBit's Direct Device Integration, served natively. The poll is one indexed lookup (done by
 * DdiAuthGuard); only when a scheduled action may be handed out does it read more: the policy's
 * dynamic constraints (seed 000 §1 second tier), runtime telemetry if a constraint needs it, and
 * the concurrency count. A deferred device gets no deploymentBase link and a sleep.
 */
@Injectable()
export class DdiService {
  private readonly logger = new Logger('ddi');

  constructor(
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
    @Inject(DdiRepository) private readonly ddi: DdiRepository,
    @Inject(ActionsRepository) private readonly actions: ActionsRepository,
    @Inject(ScheduledActionClaims) private readonly claims: ScheduledActionClaims,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(RecordFeedbackUseCase) private readonly feedback: RecordFeedbackUseCase,
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(ArtifactStore) private readonly store: ArtifactStore,
    @Optional() @Inject(DEVICE_REGISTRY) private readonly registry: DeviceRegistry | null,
  ) {}

  async poll(target: PollSnapshot, links: DdiLinks): Promise<ControllerBase> {
    const linksOut: NonNullable<ControllerBase['_links']> = {};
    if (target.installedActionId !== null) {
      linksOut.installedBase = { href: `${links.root}/installedBase/${target.installedActionId}` };
    }
    if (target.requestConfigData) linksOut.configData = { href: `${links.root}/configData` };
    const action = target.action;
    let sleep = this.config.DDI_POLLING_SLEEP;
    if (action?.status === 'canceling') {
      linksOut.cancelAction = { href: `${links.root}/cancelAction/${action.id}` };
    } else if (action && action.status !== 'scheduled') {
      linksOut.deploymentBase = {
        href: `${links.root}/deploymentBase/${action.id}?c=${etagOf(action.id, action.status)}`,
      };
    } else if (action) {
      const deferredSleep = await this.deliverScheduled(target, action);
      if (deferredSleep) {
        sleep = deferredSleep;
      } else {
        linksOut.deploymentBase = {
          href: `${links.root}/deploymentBase/${action.id}?c=${etagOf(action.id, 'retrieved')}`,
        };
      }
    }
    return { config: { polling: { sleep } }, ...(Object.keys(linksOut).length > 0 ? { _links: linksOut } : {}) };
  }

  /**
   * The poll's policy step for an undelivered action: hands it to the device if its constraints
   * allow, else records why not. `onClaimed` runs in the claim's transaction (hawkBit mode
   * assigns there, so a failed assignment leaves the action undelivered); throwing
   * {@link DeliveryRefusedError} from it defers the action instead of failing the poll.
   * @returns null when delivered, else the sleep the device is told.
   */
  async deliverScheduled(
    target: PollSnapshot,
    action: NonNullable<PollSnapshot['action']>,
    onClaimed?: (tx: Tx, actionId: number) => Promise<void>,
  ): Promise<string | null> {
    const deferral = await this.deliver(target, action, new Date(), onClaimed);
    if (!deferral) return null;
    if (deferral.reason !== action.deferredReason) await this.actions.markDeferred(action.id, deferral.reason);
    return this.deferredSleep(deferral);
  }

  /** null when the action was handed to the device; otherwise why it waits. */
  private async deliver(
    target: PollSnapshot,
    action: NonNullable<PollSnapshot['action']>,
    now: Date,
    onClaimed?: (tx: Tx, actionId: number) => Promise<void>,
  ): Promise<Deferral | null> {
    if (action.policyStatus !== 'active') return { reason: 'policy_paused', retryInSeconds: null };
    if (action.notBefore && action.notBefore > now) {
      return { reason: 'retry_backoff', retryInSeconds: (action.notBefore.getTime() - now.getTime()) / 1000 };
    }
    if (action.wave > action.currentWave) return { reason: 'wave_not_open', retryInSeconds: null };
    const window = checkWindow(action.constraints, now, target.timezone);
    if (window) return window;
    if (needsRuntimeState(action.constraints)) {
      const runtime = checkRuntime(action.constraints, await this.runtimeState(target.controllerId));
      if (runtime) return runtime;
    }
    try {
      return await this.claim(target.controllerId, action, onClaimed);
    } catch (error) {
      // The claim rolled back with it: the action waits for the next poll.
      if (error instanceof DeliveryRefusedError) return error.deferral;
      throw error;
    }
  }

  private async claim(
    targetId: string,
    action: NonNullable<PollSnapshot['action']>,
    onClaimed?: (tx: Tx, actionId: number) => Promise<void>,
  ): Promise<Deferral | null> {
    // Nothing to count or to do with it: the claim alone is one statement, no transaction needed.
    if (action.maxConcurrent === null && !onClaimed) {
      return (await this.claims.claim(action.id)) ? null : { reason: 'policy_paused', retryInSeconds: 1 };
    }
    return this.transactions.run(async (tx) => {
      if (action.maxConcurrent !== null) {
        await this.policies.lock(tx, { kind: 'all' }, action.policyId);
        if ((await this.actions.countInProgress(tx, action.policyId)) >= action.maxConcurrent) {
          return { reason: 'max_concurrent_reached', retryInSeconds: null } satisfies Deferral;
        }
      }
      // Lost to a concurrent change (canceled meanwhile): the next poll tells the device.
      if (!(await this.actions.claim(tx, action.id, targetId))) return { reason: 'policy_paused', retryInSeconds: 1 };
      if (onClaimed) await onClaimed(tx, action.id);
      return null;
    });
  }

  private async runtimeState(controllerId: string): Promise<RuntimeState> {
    if (!this.registry) return { battery: null, task: null };
    try {
      return runtimeStateOf(await this.registry.getLatestTelemetry(controllerId));
    } catch (error) {
      // Unknown device or registry down: the state is unknown, and the constraints decide.
      this.logger.debug({ err: error, controllerId }, 'runtime state unavailable');
      return { battery: null, task: null };
    }
  }

  private deferredSleep(deferral: Deferral): string {
    const deferred = sleepSeconds(this.config.DDI_DEFERRED_POLLING_SLEEP);
    const hint = deferral.retryInSeconds;
    return formatSleep(hint !== null && hint > 0 ? Math.min(deferred, hint) : deferred);
  }

  async deploymentBase(
    target: PollSnapshot,
    actionId: number,
    history: number,
    links: DdiLinks,
  ): Promise<DeploymentBase> {
    const deployment = await this.ddi.deployment(target.controllerId, actionId);
    // Undelivered (deferred) or cancelled actions are not the device's to execute.
    if (!deployment || !DELIVERED.includes(deployment.status)) throw new DdiResourceNotFoundError('action');
    return this.describe(deployment, history, links);
  }

  async installedBase(
    target: PollSnapshot,
    actionId: number,
    history: number,
    links: DdiLinks,
  ): Promise<DeploymentBase> {
    const deployment = await this.ddi.deployment(target.controllerId, actionId);
    if (!deployment || deployment.status !== 'finished') throw new DdiResourceNotFoundError('action');
    return this.describe(deployment, history, links);
  }

  private async describe(deployment: Deployment, history: number, links: DdiLinks): Promise<DeploymentBase> {
    const download = deployment.actionType === 'soft' ? 'attempt' : 'forced';
    const window = deployment.maintenanceWindow;
    const windowOpen = window ? isWithinWindow(window, new Date(), deployment.timezone) : true;
    const update = deployment.actionType === 'downloadonly' ? 'skip' : windowOpen ? download : 'skip';
    const messages = history !== 0 ? await this.actions.recentMessages(deployment.actionId, history) : [];
    return {
      id: String(deployment.actionId),
      deployment: {
        download,
        update,
        ...(window ? { maintenanceWindow: windowOpen ? ('available' as const) : ('unavailable' as const) } : {}),
        chunks: deployment.chunks.map((chunk) => ({
          part: chunk.part,
          version: chunk.version,
          name: chunk.name,
          artifacts: chunk.artifacts.map((artifact) => {
            const href = `${links.root}/softwaremodules/${chunk.moduleId}/artifacts/${encodeURIComponent(artifact.filename)}`;
            return {
              filename: artifact.filename,
              hashes: { sha1: artifact.sha1, md5: artifact.md5, sha256: artifact.sha256 },
              size: artifact.size,
              // Both hawkBit link flavours: clients pick `download` (https) or `download-http`.
              _links: {
                download: { href },
                'download-http': { href },
                md5sum: { href: `${href}.MD5SUM` },
                'md5sum-http': { href: `${href}.MD5SUM` },
              },
            };
          }),
        })),
      },
      ...(history !== 0 ? { actionHistory: { status: HAWKBIT_STATUS[deployment.status], messages } } : {}),
    };
  }

  async recordFeedback(target: PollSnapshot, actionId: number, feedback: Feedback): Promise<void> {
    const outcome = await this.transactions.run((tx) =>
      this.feedback.execute(tx, target.controllerId, actionId, feedback),
    );
    if (outcome === 'not_found') throw new DdiResourceNotFoundError('action');
    if (outcome === 'gone') throw new ActionNotActiveError(actionId);
  }

  async putConfigData(target: PollSnapshot, mode: 'merge' | 'replace' | 'remove', data: Record<string, string>) {
    await this.ddi.updateConfigData(target.controllerId, mode, data);
  }

  async cancelAction(target: PollSnapshot, actionId: number): Promise<CancelResponse> {
    const deployment = await this.ddi.deployment(target.controllerId, actionId);
    if (!deployment || (deployment.status !== 'canceling' && deployment.status !== 'canceled')) {
      throw new DdiResourceNotFoundError('cancel action');
    }
    return { id: String(actionId), cancelAction: { stopId: String(actionId) } };
  }

  async recordCancelFeedback(target: PollSnapshot, actionId: number, feedback: Feedback): Promise<void> {
    await this.transactions.run(async (tx) => {
      const action = await this.actions.lockForTarget(tx, actionId, target.controllerId);
      if (!action) throw new DdiResourceNotFoundError('action');
      if (action.status !== 'canceling') throw new ActionNotActiveError(actionId);
      const accepted =
        (feedback.execution === 'closed' && feedback.finished !== 'failure') || feedback.execution === 'canceled';
      const refused =
        feedback.execution === 'rejected' || (feedback.execution === 'closed' && feedback.finished === 'failure');
      if (accepted || refused) {
        await this.ddi.closeCancellation(tx, actionId, accepted, feedback.details);
      } else {
        await this.actions.appendHistory(tx, actionId, {
          status: 'canceling',
          messages: feedback.details,
          code: feedback.code,
          reportedAt: feedback.reportedAt,
        });
      }
    });
  }

  /**
   * An artifact the target may download (its module belongs to one of its delivered or installed
   * actions). A full download of a delivered action marks it downloading (hawkBit logs DOWNLOAD).
   */
  async artifact(
    target: PollSnapshot,
    moduleId: number,
    filename: string,
  ): Promise<{ artifact: Artifact; actionId: number; actionStatus: ActionState } | null> {
    return this.ddi.downloadable(target.controllerId, moduleId, filename);
  }

  async downloadStarted(target: PollSnapshot, actionId: number, uri: string): Promise<void> {
    await this.transactions.run((tx) => this.feedback.downloadStarted(tx, target.controllerId, actionId, uri));
  }

  open(artifact: Artifact, range?: { start: number; end: number }): ReadStream {
    return this.store.read(artifact.sha256, range);
  }
}

/** hawkBit's `?c=` link parameter: changes when what the link leads to changes. */
function etagOf(actionId: number, status: string): number {
  let hash = 17;
  for (const char of `${actionId}:${status}`) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}
