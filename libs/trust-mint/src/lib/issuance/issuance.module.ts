import { Module } from '@nestjs/common';
import { LicensingModule } from '../licenses/licensing.module.js';
import { ActivationsController } from './activations.controller.js';
import { DeviceReporter } from './device-reporter.js';
import { FactsRepository } from './facts.repository.js';
import { IssueOnOtaStatusChangedHandler } from './handlers/issue-on-ota-status-changed.handler.js';
import { RecordListingOnListingPublishedHandler } from './handlers/record-listing-on-listing-published.handler.js';
import { ListingsRepository } from './listings.repository.js';
import { PolicyIssuanceService } from './policy-issuance.service.js';

/** Policy-driven issuance (seed 000 §4): listings' policies, OTA facts, activations, validations. */
@Module({
  imports: [LicensingModule],
  controllers: [ActivationsController],
  providers: [
    ListingsRepository,
    FactsRepository,
    PolicyIssuanceService,
    DeviceReporter,
    RecordListingOnListingPublishedHandler,
    IssueOnOtaStatusChangedHandler,
  ],
  exports: [ListingsRepository],
})
export class IssuanceModule {}
