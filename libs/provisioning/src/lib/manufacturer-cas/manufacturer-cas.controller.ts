import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { ProvisioningPermission } from '../provisioning.permissions.js';
import {
  manufacturerCaIdParamsSchema,
  manufacturerCaListResponseSchema,
  manufacturerCaResponseSchema,
  registerManufacturerCaBodySchema,
  revokeManufacturerCaBodySchema,
  signManufacturerCsrBodySchema,
  toManufacturerCaResponse,
  type ManufacturerCaIdParams,
  type ManufacturerCaListResponse,
  type ManufacturerCaResponse,
  type RegisterManufacturerCaBody,
  type RevokeManufacturerCaBody,
  type SignManufacturerCsrBody,
} from './manufacturer-cas.dto.js';
import { ManufacturerCasService } from './manufacturer-cas.service.js';

@ApiTags('provisioning')
@Controller('provisioning/v1/manufacturer-cas')
@Authenticated(ProvisioningPermission.manufacturerCasWrite)
export class ManufacturerCasController {
  constructor(@Inject(ManufacturerCasService) private readonly cas: ManufacturerCasService) {}

  @Post()
  @Endpoint({
    summary: 'Register a manufacturer sub-CA (accepted only if signed by the FlexGalaxy root CA)',
    body: registerManufacturerCaBodySchema,
    response: manufacturerCaResponseSchema,
    status: 201,
  })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RegisterManufacturerCaBody,
  ): Promise<ManufacturerCaResponse> {
    return toManufacturerCaResponse(await this.cas.register(principal, body.certificatePem, body.accountId));
  }

  @Post('csr')
  @Endpoint({
    summary: "Have the root CA sign a manufacturer's sub-CA request, and register the result",
    body: signManufacturerCsrBodySchema,
    response: manufacturerCaResponseSchema,
    status: 201,
  })
  async signCsr(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SignManufacturerCsrBody,
  ): Promise<ManufacturerCaResponse> {
    return toManufacturerCaResponse(await this.cas.signCsr(principal, body.csrPem, body.validDays, body.accountId));
  }

  @Get()
  @Endpoint({ summary: "The caller's manufacturer CAs", response: manufacturerCaListResponseSchema })
  async list(@CurrentPrincipal() principal: Principal): Promise<ManufacturerCaListResponse> {
    return { items: (await this.cas.list(principal)).map(toManufacturerCaResponse) };
  }

  @Post(':id/revoke')
  @Endpoint({
    summary: 'Revoke a manufacturer CA: its device certificates are refused from now on',
    status: 200,
    params: manufacturerCaIdParamsSchema,
    body: revokeManufacturerCaBodySchema,
    response: manufacturerCaResponseSchema,
  })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ManufacturerCaIdParams,
    @Body() body: RevokeManufacturerCaBody,
  ): Promise<ManufacturerCaResponse> {
    return toManufacturerCaResponse(await this.cas.revoke(principal, params.id, body.reason));
  }
}
