import { Module } from '@nestjs/common';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { AccountsRepository } from './accounts.repository.js';
import { PlaceTargetsOnAccountCreatedHandler } from './handlers/place-targets-on-account-created.handler.js';
import { SyncTargetOnDeviceEventsHandler } from './handlers/sync-target-on-device-events.handler.js';
import { TargetsController } from './targets.controller.js';
import { TargetsRepository } from './targets.repository.js';
import { TargetsService } from './targets.service.js';

/** Targets: the provisioning-facing API, the device-event projection and the accounts projection. */
@Module({
  imports: [RolloutsModule],
  controllers: [TargetsController],
  providers: [
    TransactionRunner,
    TargetsRepository,
    AccountsRepository,
    TargetsService,
    SyncTargetOnDeviceEventsHandler,
    PlaceTargetsOnAccountCreatedHandler,
  ],
})
export class TargetsModule {}
