import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { PolicyIssuanceService } from '../policy-issuance.service.js';

/** seed 000 §4: an OTA install or completed download may be what a listing's policy issues on. */
@Injectable()
@OnEvents({ name: 'trust-mint.ota-installs', events: ['ota.action.status_changed'] })
export class IssueOnOtaStatusChangedHandler implements EventConsumer<'ota.action.status_changed'> {
  constructor(@Inject(PolicyIssuanceService) private readonly issuance: PolicyIssuanceService) {}

  async handle(event: PlatformEvent<'ota.action.status_changed'>, tx: Tx): Promise<void> {
    await this.issuance.onOtaStatusChanged(tx, event);
  }
}
