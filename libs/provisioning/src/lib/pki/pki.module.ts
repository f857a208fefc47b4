import { Module } from '@nestjs/common';
import { EncryptionKeySource } from '../shared/encryption-key.js';
import { ClientCertificateSource } from './client-certificate.js';
import { DeviceTlsListener } from './device-tls.listener.js';
import { PlatformCaService } from './platform-ca.service.js';
import { PlatformKeysRepository } from './platform-keys.repository.js';
import { RootCaController } from './root-ca.controller.js';

/** The platform root CA, the device TLS listener and how client certificates reach enrollment. */
@Module({
  controllers: [RootCaController],
  providers: [
    EncryptionKeySource,
    PlatformKeysRepository,
    PlatformCaService,
    DeviceTlsListener,
    ClientCertificateSource,
  ],
  exports: [EncryptionKeySource, PlatformCaService, ClientCertificateSource, DeviceTlsListener],
})
export class PkiModule {}
