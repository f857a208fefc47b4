import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint } from '@flexgalaxy/service-kit';
import { CurrentEntitlement, EntitledOrDevice, type Entitlement } from '../core/entitlement.js';
import { licenseResponseSchema, toLicenseResponse, type LicenseResponse } from '../licenses/licenses.dto.js';
import {
  activationBodySchema,
  toValidationResponse,
  validationBodySchema,
  validationResponseSchema,
  type ActivationBody,
  type ValidationBody,
  type ValidationResponse,
} from './issuance.dto.js';
import { DeviceReporter } from './device-reporter.js';
import { PolicyIssuanceService } from './policy-issuance.service.js';

/**
 * Device-facing: a device calls with its M2M token (subject = its device id). No boundary
 * permission entitles an account to act as a device, so only the device or a platform admin passes.
 */
@ApiTags('entitlements: device activation')
@Controller('entitlements/v1')
@EntitledOrDevice()
export class ActivationsController {
  constructor(
    @Inject(PolicyIssuanceService) private readonly issuance: PolicyIssuanceService,
    @Inject(DeviceReporter) private readonly reporter: DeviceReporter,
  ) {}

  @Post('activations')
  @Endpoint({
    summary:
      'Explicit activation (on_activation listings): 201 with a new license, 200 with the one that still entitles',
    body: activationBodySchema,
    response: licenseResponseSchema,
    status: 201,
  })
  async activate(
    @CurrentEntitlement() entitlement: Entitlement,
    @Body() body: ActivationBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LicenseResponse> {
    const report = await this.reporter.reportOf(entitlement, body);
    const key = this.reporter.deviceKey(body.publicKeyPem);
    const { license, created } = await this.issuance.activate(report, key);
    if (!created) void reply.status(200);
    return toLicenseResponse(license);
  }

  @Post('validations')
  @Endpoint({
    summary: 'Model validation result (on_install_validated listings): a pass after the install issues the license',
    body: validationBodySchema,
    response: validationResponseSchema,
    status: 201,
  })
  async validate(
    @CurrentEntitlement() entitlement: Entitlement,
    @Body() body: ValidationBody,
  ): Promise<ValidationResponse> {
    const report = await this.reporter.reportOf(entitlement, body);
    return toValidationResponse(
      await this.issuance.recordValidation(
        { ...report, softwareVersion: body.softwareVersion },
        body.result === 'pass',
        body.details ?? null,
      ),
    );
  }
}
