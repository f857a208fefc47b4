import { Module } from '@nestjs/common';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { ActionsController } from './actions.controller.js';
import { ActionsService } from './actions.service.js';
import { TargetsReadRepository } from './targets-read.repository.js';

/** Installation tracking: a device's actions for its owner, aggregates for the developer portal. */
@Module({
  imports: [RolloutsModule],
  controllers: [ActionsController],
  providers: [ActionsService, TargetsReadRepository],
})
export class ActionsModule {}
