import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { PkiModule } from '../pki/pki.module.js';
import { DeviceCertificateVerifier } from './device-certificate.verifier.js';
import { ManufacturerCasController } from './manufacturer-cas.controller.js';
import { ManufacturerCasRepository } from './manufacturer-cas.repository.js';
import { ManufacturerCasService } from './manufacturer-cas.service.js';

@Module({
  imports: [AccountsModule, PkiModule],
  controllers: [ManufacturerCasController],
  providers: [ManufacturerCasRepository, ManufacturerCasService, DeviceCertificateVerifier],
  exports: [DeviceCertificateVerifier],
})
export class ManufacturerCasModule {}
