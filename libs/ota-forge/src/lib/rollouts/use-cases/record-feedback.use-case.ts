import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import { ActionsRepository, type ActionRecord, type HistoryEntry } from '../actions.repository.js';
import {
  announcedStatus,
  isOpen,
  stateAfterFeedback,
  type ActionState,
  type DdiExecution,
  type DdiFinished,
} from '../domain/feedback.js';
import { decideRetry } from '../domain/retry.js';
import { decideWave } from '../domain/waves.js';
import { PoliciesRepository } from '../policies.repository.js';

export interface Feedback {
  execution: DdiExecution;
  finished: DdiFinished;
  progress: { cnt: number; of: number | null } | null;
  code: number | null;
  details: string[];
  /** The device's timestamp (ms), else when the server received it. */
  reportedAt: Date;
}

export type FeedbackOutcome = 'recorded' | 'not_found' | 'gone';

/**
 * Applies a device's deploymentBase feedback to its action (hawkBit's status mapping), and what
 * follows from the result: the installed software version, a retry after a failure (retry
 * policy), the wave's progress (advance or abort), and ota.action.status_changed for TrustMint.
 */
@Injectable()
export class RecordFeedbackUseCase {
  constructor(
    @Inject(ActionsRepository) private readonly actions: ActionsRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async execute(tx: Tx, targetId: string, actionId: number, feedback: Feedback): Promise<FeedbackOutcome> {
    const action = await this.actions.lockForTarget(tx, actionId, targetId);
    if (!action) return 'not_found';
    // Feedback on an undelivered action is as if it did not exist (it is not the device's yet).
    if (action.status === 'scheduled') return 'not_found';
    if (!isOpen(action.status) || action.status === 'canceling')
      return action.status === 'canceling' ? 'recorded' : 'gone';
    const { next, history } = stateAfterFeedback(action.status, feedback.execution, feedback.finished);
    const entry: HistoryEntry = {
      status: history,
      messages: [
        ...feedback.details,
        ...(feedback.progress
          ? [`Device reported progress ${feedback.progress.cnt}/${feedback.progress.of ?? '?'}`]
          : []),
        ...(feedback.code !== null ? [`Device reported status code: ${feedback.code}`] : []),
      ],
      code: feedback.code,
      reportedAt: feedback.reportedAt,
    };
    await this.moveTo(tx, action, next, entry, feedback.details);
    return 'recorded';
  }

  /** The server noticed a download start (a full artifact GET), as hawkBit logs it. */
  async downloadStarted(tx: Tx, targetId: string, actionId: number, uri: string): Promise<void> {
    const action = await this.actions.lockForTarget(tx, actionId, targetId);
    if (!action || (action.status !== 'retrieved' && action.status !== 'running')) return;
    await this.moveTo(
      tx,
      action,
      'downloading',
      { status: 'download', messages: [`Update server: target downloads ${uri}`] },
      [],
    );
  }

  private async moveTo(tx: Tx, action: ActionRecord, next: ActionState, entry: HistoryEntry, details: string[]) {
    const terminal = next === 'finished' || next === 'failed' || next === 'canceled';
    if (next === action.status) await this.actions.appendHistory(tx, action.id, entry);
    else await this.actions.transition(tx, action.id, next, entry, terminal);
    const announced = announcedStatus(action.status, next);
    if (announced) {
      await this.outbox.append(
        tx,
        'ota.action.status_changed',
        {
          actionId: String(action.id),
          deviceId: action.targetId,
          distributionSetId: String(action.distributionSetId),
          listingId: action.listingId,
          softwareVersion: action.softwareVersion,
          status: announced,
          details,
        },
        { accountId: action.targetAccountId, deviceId: action.targetId },
      );
    }
    if (next === 'finished') await this.actions.recordInstalled(tx, action, entry.reportedAt ?? new Date());
    if (next === 'failed') await this.retryIfAllowed(tx, action);
    if (next === 'finished' || next === 'failed') await this.progressWaves(tx, action);
  }

  private async retryIfAllowed(tx: Tx, action: ActionRecord): Promise<void> {
    const policy = await this.policies.lock(tx, { kind: 'all' }, action.policyId);
    if (!policy || policy.status === 'deleted' || policy.status === 'aborted') return;
    // A retry is for the version the policy still deploys; a superseded one is not retried.
    if (policy.distributionSetId !== action.distributionSetId) return;
    const decision = decideRetry(policy.retry, action.attempt, new Date());
    if (decision.retry) await this.actions.insertRetry(tx, action, decision.attempt, decision.notBefore);
  }

  /** seed 000 §2 phased waves: open the next wave on success, abort on errors. */
  private async progressWaves(tx: Tx, action: ActionRecord): Promise<void> {
    const policy = await this.policies.lock(tx, { kind: 'all' }, action.policyId);
    if (!policy?.waves || policy.status !== 'active' || policy.distributionSetId !== action.distributionSetId) return;
    const lastWave = policy.waves.percentages.length - 1;
    let wave = policy.currentWave;
    while (wave <= lastWave) {
      const progress = await this.actions.waveProgress(tx, policy.id, policy.distributionSetId, wave);
      const decision = decideWave(progress, policy.waves);
      if (decision === 'abort') {
        await this.policies.setStatus(tx, policy.id, 'aborted');
        await this.actions.cancelScheduledOfPolicy(
          tx,
          policy.id,
          `Update server: rollout aborted, wave ${wave + 1} reached the error threshold.`,
        );
        return;
      }
      if (decision === 'hold' || wave === lastWave) break;
      wave += 1;
    }
    if (wave !== policy.currentWave) await this.policies.setCurrentWave(tx, policy.id, wave);
  }
}
