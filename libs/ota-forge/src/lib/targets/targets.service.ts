import { Inject, Injectable, Logger } from '@nestjs/common';
import { OTA_BACKEND, type OtaBackend } from '@flexgalaxy/adapters';
import { MatchingRepository } from '../rollouts/matching.repository.js';
import { MatchTargetUseCase } from '../rollouts/use-cases/match-target.use-case.js';
import type { Tx } from '@flexgalaxy/db';
import { hashTargetToken } from '../shared/token-hash.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import type { Target, TargetAttributes } from './domain/target.js';
import { TargetNotFoundError } from './targets.errors.js';
import { TargetsRepository } from './targets.repository.js';

/**
 * A target's static attributes as hawkBit target metadata: hawkBit's own target attributes are
 * the device's (configData), operators' facts go into metadata. A null value removes the key.
 */
function metadataOf(
  accountId: string | undefined,
  attributes: Partial<TargetAttributes>,
): Record<string, string | null> {
  const entries: Record<string, string | null | undefined> = {
    account: accountId,
    type: attributes.type,
    model: attributes.model,
    revision: attributes.revision,
    manufacturer: attributes.manufacturer,
    serial: attributes.serial,
    firmware_version: attributes.firmwareVersion,
    capabilities: attributes.capabilities === undefined ? undefined : attributes.capabilities.join(','),
    timezone: attributes.timezone,
  };
  return Object.fromEntries(
    Object.entries(entries)
      .filter((entry): entry is [string, string | null] => entry[1] !== undefined)
      .map(([key, value]) => [key, value === '' ? null : value]),
  );
}

/**
 * The targets API (hawkBit's Management API target model), called by provisioning with a
 * platform-admin token. A created or changed target is matched against the active policies in
 * the same transaction; a target that changed hands loses the actions it is no longer entitled to.
 *
 * In hawkBit mode the hawkBit target (controller id, name, token in clear: only this call ever
 * sees it) and its metadata are written as the transaction's last step, so a hawkBit failure
 * rolls ours back (503 naming hawkBit); a hawkBit target created for a transaction that then
 * fails to commit is deleted again.
 */
@Injectable()
export class TargetsService {
  private readonly logger = new Logger('ota-targets');

  constructor(
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(MatchTargetUseCase) private readonly matchTarget: MatchTargetUseCase,
    @Inject(OTA_BACKEND) private readonly backend: OtaBackend | null,
  ) {}

  async put(
    controllerId: string,
    input: { accountId: string; name: string; securityToken: string; attributes: TargetAttributes },
  ): Promise<{ target: Target; created: boolean }> {
    let createdInBackend = false;
    try {
      return await this.transactions.run(async (tx) => {
        const result = await this.putInTx(tx, controllerId, input);
        if (this.backend) {
          const { created } = await this.backend.upsertTarget({
            controllerId,
            name: input.name,
            securityToken: input.securityToken,
          });
          createdInBackend = created;
          await this.backend.putTargetMetadata(controllerId, metadataOf(input.accountId, input.attributes));
        }
        return result;
      });
    } catch (error) {
      if (createdInBackend) await this.removeFromBackend(controllerId);
      throw error;
    }
  }

  private async putInTx(
    tx: Tx,
    controllerId: string,
    input: { accountId: string; name: string; securityToken: string; attributes: TargetAttributes },
  ): Promise<{ target: Target; created: boolean }> {
    const before = await this.targets.find(controllerId, tx);
    const result = await this.targets.upsert(tx, controllerId, {
      accountId: input.accountId,
      name: input.name,
      tokenHash: hashTargetToken(input.securityToken),
      attributes: input.attributes,
    });
    if (before && before.accountId !== input.accountId) {
      await this.matching.withdrawUnentitled(tx, { targetId: controllerId });
    }
    await this.matchTarget.execute(tx, controllerId);
    return result;
  }

  /** Compensation: the hawkBit target of a transaction that did not commit. */
  private async removeFromBackend(controllerId: string): Promise<void> {
    try {
      await this.backend?.deleteTarget(controllerId);
    } catch (error) {
      this.logger.error({ err: error, controllerId }, 'could not remove the hawkBit target of a failed upsert');
    }
  }

  async patch(
    controllerId: string,
    patch: { accountId?: string; securityToken?: string; attributes?: Partial<TargetAttributes>; enabled?: boolean },
  ): Promise<Target> {
    return this.transactions.run(async (tx) => {
      const before = await this.targets.find(controllerId, tx);
      const target = await this.targets.patch(tx, controllerId, {
        ...(patch.accountId !== undefined ? { accountId: patch.accountId } : {}),
        ...(patch.securityToken !== undefined ? { tokenHash: hashTargetToken(patch.securityToken) } : {}),
        ...(patch.attributes !== undefined ? { attributes: patch.attributes } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      });
      if (!target) throw new TargetNotFoundError(controllerId);
      if (before && before.accountId !== target.accountId) {
        await this.matching.withdrawUnentitled(tx, { targetId: controllerId });
      }
      if (patch.accountId !== undefined || patch.attributes !== undefined) {
        await this.matchTarget.execute(tx, controllerId);
      }
      if (this.backend) {
        if (patch.securityToken !== undefined) {
          await this.backend.updateTarget(controllerId, { securityToken: patch.securityToken });
        }
        const metadata = metadataOf(patch.accountId, patch.attributes ?? {});
        if (Object.keys(metadata).length > 0) await this.backend.putTargetMetadata(controllerId, metadata);
      }
      return target;
    });
  }

  async delete(controllerId: string): Promise<void> {
    const deleted = await this.transactions.run(async (tx) => {
      const removed = await this.targets.delete(tx, controllerId);
      // Before the commit: if hawkBit fails, the target stays on both sides.
      if (removed && this.backend) await this.backend.deleteTarget(controllerId);
      return removed;
    });
    if (!deleted) throw new TargetNotFoundError(controllerId);
  }

  async get(controllerId: string): Promise<Target> {
    const target = await this.targets.find(controllerId);
    if (!target) throw new TargetNotFoundError(controllerId);
    return target;
  }
}
