import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { PoliciesController } from './policies.controller.js';
import { PoliciesService } from './policies.service.js';

@Module({
  imports: [RolloutsModule, CatalogModule],
  controllers: [PoliciesController],
  providers: [TransactionRunner, PoliciesService],
})
export class PoliciesModule {}
