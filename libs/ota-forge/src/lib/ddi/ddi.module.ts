import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { DdiAuthGuard } from './ddi-auth.guard.js';
import { DdiController } from './ddi.controller.js';
import { DdiRepository } from './ddi.repository.js';
import { DdiService } from './ddi.service.js';

/** hawkBit's Direct Device Integration API at /{tenant}/controller/v1/{controllerId}. */
@Module({
  imports: [RolloutsModule, CatalogModule],
  controllers: [DdiController],
  providers: [TransactionRunner, DdiRepository, DdiService, DdiAuthGuard],
})
export class DdiModule {}
