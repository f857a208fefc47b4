import { Inject, Injectable } from '@nestjs/common';
import { MatchTargetUseCase } from '../../rollouts/use-cases/match-target.use-case.js';
import { TransactionRunner } from '../../shared/transaction-runner.js';
import type { TargetAttributes } from '../../targets/domain/target.js';
import { TargetsRepository } from '../../targets/targets.repository.js';
import { DdiRepository } from '../ddi.repository.js';

/** configData keys a device may report that are policy attributes (their targeting names). */
const ATTRIBUTE_KEYS: Partial<Record<string, (value: string) => Partial<TargetAttributes>>> = {
  firmware_version: (value) => ({ firmwareVersion: value }),
  firmwareVersion: (value) => ({ firmwareVersion: value }),
  revision: (value) => ({ revision: value }),
  capabilities: (value) => ({
    capabilities: value
      .split(',')
      .map((capability) => capability.trim())
      .filter((capability) => capability.length > 0),
  }),
};

/** What of a configData body changes policy attributes ("remove" never blanks one). */
export function attributesFromConfigData(
  mode: 'merge' | 'replace' | 'remove',
  data: Record<string, string>,
): Partial<TargetAttributes> {
  if (mode === 'remove') return {};
  return Object.entries(data).reduce<Partial<TargetAttributes>>((attributes, [key, value]) => {
    const map = ATTRIBUTE_KEYS[key];
    return map && value.length > 0 && value.length <= 64 ? { ...attributes, ...map(value) } : attributes;
  }, {});
}

/**
 * hawkBit mode: the attributes a device reported to hawkBit (configData, accepted there first)
 * are kept here too, and those the policy language knows (firmware_version, revision,
 * capabilities) become the target's attributes, matched against the active policies at once.
 */
@Injectable()
export class MergeConfigDataUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(DdiRepository) private readonly ddi: DdiRepository,
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(MatchTargetUseCase) private readonly matchTarget: MatchTargetUseCase,
  ) {}

  async execute(controllerId: string, mode: 'merge' | 'replace' | 'remove', data: Record<string, string>) {
    await this.ddi.updateConfigData(controllerId, mode, data);
    const attributes = attributesFromConfigData(mode, data);
    if (Object.keys(attributes).length === 0) return;
    await this.transactions.run(async (tx) => {
      if (await this.targets.patch(tx, controllerId, { attributes })) await this.matchTarget.execute(tx, controllerId);
    });
  }
}
