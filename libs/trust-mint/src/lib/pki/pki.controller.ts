import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import { z } from 'zod';
import { LicenseAuthority } from './license-authority.js';

const jwksResponseSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.string(),
        crv: z.string(),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.string(),
      }),
    ),
  })
  .meta({ id: 'LicenseJwks' });

// Public on purpose: devices and partners verify licenses offline with these, as a browser
// verifies TLS with a published root. They carry only public keys.
@ApiTags('entitlements: keys')
@Controller('entitlements/v1')
export class PkiController {
  constructor(@Inject(LicenseAuthority) private readonly authority: LicenseAuthority) {}

  @Get('ca')
  @Header('content-type', 'application/x-pem-file')
  @Endpoint({ summary: "The license CA's certificate (PEM): every license certificate chains to it" })
  async ca(): Promise<string> {
    return this.authority.caCertificatePem();
  }

  @Get('jwks')
  @Endpoint({ summary: 'The JWKS that verifies license JWTs (ES256)', response: jwksResponseSchema })
  async jwks(): Promise<z.output<typeof jwksResponseSchema>> {
    const { keys } = await this.authority.jwks();
    return {
      keys: keys.map((key) => ({
        kty: String(key.kty),
        crv: String(key.crv),
        x: String(key.x),
        y: String(key.y),
        kid: key.kid,
        alg: key.alg,
        use: key.use,
      })),
    };
  }
}
