import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import { z } from 'zod';
import { PlatformCaService } from './platform-ca.service.js';

export const rootCaResponseSchema = z
  .object({
    certificatePem: z.string(),
    subject: z.string(),
    fingerprint256: z.string(),
    notBefore: z.iso.datetime(),
    notAfter: z.iso.datetime(),
  })
  .meta({ id: 'RootCa' });
export type RootCaResponse = z.output<typeof rootCaResponseSchema>;

/** Public: manufacturers need the root to build and check their sub-CA chains. */
@ApiTags('provisioning')
@Controller('provisioning/v1/root-ca')
export class RootCaController {
  constructor(@Inject(PlatformCaService) private readonly ca: PlatformCaService) {}

  @Get()
  @Endpoint({ summary: 'The FlexGalaxy root CA certificate (PEM)', response: rootCaResponseSchema })
  async get(): Promise<RootCaResponse> {
    const { certificate, certificatePem } = await this.ca.rootCa();
    return {
      certificatePem,
      subject: certificate.subject,
      fingerprint256: certificate.fingerprint256,
      notBefore: new Date(certificate.validFrom).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
    };
  }
}
