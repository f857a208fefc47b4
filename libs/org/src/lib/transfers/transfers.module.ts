import { Module, type Provider } from '@nestjs/common';
import { ORG_CONFIG, orgConfigSchema, type OrgConfig } from '../org.config.js';
import { ProvisioningTransfersClient } from './provisioning-transfers.client.js';
import { TRANSFERS_CONFIG } from './transfers.config.js';
import { TransfersController } from './transfers.controller.js';
import { BatchTransferService } from './transfers.service.js';

// OrgModule.forRoot provides ORG_CONFIG; a bare OrgModule falls back to the platform's defaults.
const transfersConfig: Provider = {
  provide: TRANSFERS_CONFIG,
  useFactory: (config?: OrgConfig) => config ?? orgConfigSchema({ defaultPort: 8080 }).parse({}),
  inject: [{ token: ORG_CONFIG, optional: true }],
};

/** DeviceAdmin's batch transfer façade over provisioning's transfer API. */
@Module({
  controllers: [TransfersController],
  providers: [transfersConfig, ProvisioningTransfersClient, BatchTransferService],
})
export class TransfersModule {}
