import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ClaimTokensModule } from '../claim-tokens/claim-tokens.module.js';
import { ManufacturerCasModule } from '../manufacturer-cas/manufacturer-cas.module.js';
import { PkiModule } from '../pki/pki.module.js';
import { OperationLocks } from '../shared/operation-lock.repository.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { DeviceBackends } from './backends/device-backends.js';
import { DeviceAccess } from './device-access.js';
import { DeviceChanges } from './device-changes.service.js';
import { DeviceReprovisioner } from './device-reprovisioner.js';
import { DevicesController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { IdempotencyRepository } from './idempotency/idempotency.repository.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { IdentityProofs } from './identity-proofs.js';
import { ChangeDeviceStateUseCase } from './use-cases/change-device-state.use-case.js';
import { EnrollDeviceUseCase } from './use-cases/enroll-device.use-case.js';
import { RotateCredentialsUseCase } from './use-cases/rotate-credentials.use-case.js';
import { TransferDeviceUseCase } from './use-cases/transfer-device.use-case.js';

/** Enrollment, lifecycle, transfers and credentials of devices (seed 002). */
@Module({
  imports: [AccountsModule, PkiModule, ManufacturerCasModule, ClaimTokensModule],
  controllers: [DevicesController],
  providers: [
    DevicesRepository,
    DeviceAccess,
    DeviceBackends,
    DeviceChanges,
    DeviceReprovisioner,
    IdentityProofs,
    IdempotencyRepository,
    IdempotencyService,
    OperationLocks,
    TransactionRunner,
    EnrollDeviceUseCase,
    TransferDeviceUseCase,
    RotateCredentialsUseCase,
    ChangeDeviceStateUseCase,
  ],
  exports: [DeviceBackends],
})
export class DevicesModule {}
