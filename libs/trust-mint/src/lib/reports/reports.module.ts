import { Module } from '@nestjs/common';
import { IssuanceModule } from '../issuance/issuance.module.js';
import { LicensingModule } from '../licenses/licensing.module.js';
import { BoardingPassAnalyticsController } from './boardingpass-analytics.controller.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** License reporting for accounts and developers, BoardingPass analytics and audit (seed 001, seed 000 §4). */
@Module({
  imports: [LicensingModule, IssuanceModule],
  controllers: [ReportsController, BoardingPassAnalyticsController],
  providers: [ReportsRepository, ReportsService],
})
export class ReportsModule {}
