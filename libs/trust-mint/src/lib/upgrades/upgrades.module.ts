import { Module } from '@nestjs/common';
import { IssuanceModule } from '../issuance/issuance.module.js';
import { LicensingModule } from '../licenses/licensing.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { BoardingPassApprovalsController } from './boardingpass-approvals.controller.js';
import { UpgradesController } from './upgrades.controller.js';
import { UpgradesRepository } from './upgrades.repository.js';
import { UpgradesService } from './upgrades.service.js';

/** TRIAL → OFFICIAL: requests, partner decisions, auto-approval and BoardingPass review (seed 001). */
@Module({
  imports: [LicensingModule, IssuanceModule, WebhooksModule],
  controllers: [UpgradesController, BoardingPassApprovalsController],
  providers: [UpgradesRepository, UpgradesService],
})
export class UpgradesModule {}
