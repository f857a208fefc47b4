import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { TargetsRepository } from '../targets/targets.repository.js';
import { DdiAuthGuard } from './ddi-auth.guard.js';
import { DdiController } from './ddi.controller.js';
import { DdiRepository } from './ddi.repository.js';
import { DdiService } from './ddi.service.js';
import { PollSnapshotLoader } from './poll-snapshot.loader.js';
import { ScheduledActionClaims } from './scheduled-action-claims.js';
import { HawkbitActionsRepository } from './hawkbit/hawkbit-actions.repository.js';
import { HawkbitDdiProxyController } from './hawkbit/hawkbit-ddi-proxy.controller.js';
import { HawkbitDdiProxyService } from './hawkbit/hawkbit-ddi-proxy.service.js';
import { MergeConfigDataUseCase } from './hawkbit/merge-config-data.use-case.js';

/**
 * hawkBit's Direct Device Integration API at /{tenant}/controller/v1/{controllerId}: served
 * natively, or in hawkBit mode authenticated and policy-checked here, then proxied to hawkBit.
 */
@Module({})
export class DdiModule {
  static forRoot(options: { hawkbit: boolean }): DynamicModule {
    return {
      module: DdiModule,
      imports: [RolloutsModule, CatalogModule],
      controllers: [options.hawkbit ? HawkbitDdiProxyController : DdiController],
      providers: [
        TransactionRunner,
        DdiRepository,
        PollSnapshotLoader,
        ScheduledActionClaims,
        DdiService,
        DdiAuthGuard,
        ...(options.hawkbit
          ? [HawkbitActionsRepository, HawkbitDdiProxyService, MergeConfigDataUseCase, TargetsRepository]
          : []),
      ],
    };
  }
}
