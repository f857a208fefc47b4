import { Module } from '@nestjs/common';
import { DeviceIdentity } from '../devices/device-identity.js';
import { DevicesController } from '../devices/devices.controller.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { EnrollmentService } from '../devices/enrollment.service.js';
import { EnrollOnDeviceEventsHandler } from '../devices/handlers/enroll-on-device-events.handler.js';
import { LicenseAuthority } from '../pki/license-authority.js';
import { PkiController } from '../pki/pki.controller.js';
import { SigningKeysRepository } from '../pki/signing-keys.repository.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { LedgerRepository } from './ledger.repository.js';
import { LicenseIssuer } from './license-issuer.js';
import { LicensesController } from './licenses.controller.js';
import { LicensesRepository } from './licenses.repository.js';
import { LicensesService } from './licenses.service.js';

/**
 * Licenses and what they rest on: the license CA and JWT key (pki/), the device records that
 * enrollment fills (devices/), the ledger, and the one issuer every trigger goes through.
 */
@Module({
  imports: [WebhooksModule],
  controllers: [PkiController, LicensesController, DevicesController],
  providers: [
    SigningKeysRepository,
    LicenseAuthority,
    DevicesRepository,
    DeviceIdentity,
    EnrollmentService,
    EnrollOnDeviceEventsHandler,
    LicensesRepository,
    LedgerRepository,
    LicenseIssuer,
    LicensesService,
  ],
  exports: [LicenseAuthority, LicenseIssuer, LicensesRepository, LedgerRepository, DevicesRepository, DeviceIdentity],
})
export class LicensingModule {}
