import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { MatchingRepository } from '../../rollouts/matching.repository.js';
import { MatchTargetUseCase } from '../../rollouts/use-cases/match-target.use-case.js';
import type { TargetFromEvent } from '../domain/target.js';
import { TargetsRepository } from '../targets.repository.js';

type DeviceEventType = 'device.provisioned' | 'device.upgraded' | 'device.transferred';

function targetOf(event: PlatformEvent<DeviceEventType>): TargetFromEvent {
  const occurredAt = new Date(event.occurredAt);
  switch (event.type) {
    case 'device.provisioned':
    case 'device.upgraded': {
      const p = (event as PlatformEvent<'device.provisioned' | 'device.upgraded'>).payload;
      return {
        controllerId: p.deviceId,
        accountId: p.accountId,
        makerAccountId: p.accountId,
        attributes: p.attributes,
        occurredAt,
      };
    }
    case 'device.transferred': {
      const p = (event as PlatformEvent<'device.transferred'>).payload;
      return {
        controllerId: p.deviceId,
        accountId: p.toAccountId,
        makerAccountId: p.fromAccountId,
        attributes: p.attributes,
        occurredAt,
      };
    }
  }
}

/**
 * Zero-touch auto-rollout (seed 000 §1): a provisioned, upgraded or transferred device is
 * recorded as a target and matched against the active policies in the event's transaction, so
 * the deployment is there on its next poll. A transfer first withdraws what the new owner is not
 * entitled to. One consumer for the three types keeps one device's events in order.
 */
@Injectable()
@OnEvents({
  name: 'ota-forge.device-targets',
  events: ['device.provisioned', 'device.upgraded', 'device.transferred'],
})
export class SyncTargetOnDeviceEventsHandler implements EventConsumer<DeviceEventType> {
  constructor(
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(MatchTargetUseCase) private readonly matchTarget: MatchTargetUseCase,
  ) {}

  async handle(event: PlatformEvent<DeviceEventType>, tx: Tx): Promise<void> {
    const target = targetOf(event);
    const { applied, previousAccountId } = await this.targets.recordFromEvent(tx, target);
    if (!applied) return;
    if (previousAccountId !== null && previousAccountId !== target.accountId) {
      await this.matching.withdrawUnentitled(tx, { targetId: target.controllerId });
    }
    await this.matchTarget.execute(tx, target.controllerId);
  }
}
