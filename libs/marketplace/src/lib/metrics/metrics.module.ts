import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module.js';
import { ListingsModule } from '../listings/listings.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { ReportingClient } from './reporting.client.js';

@Module({
  imports: [ListingsModule, GrantsModule],
  controllers: [MetricsController],
  providers: [ReportingClient, MetricsService],
})
export class MetricsModule {}
