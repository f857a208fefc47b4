import { Readable } from 'node:stream';
import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyRequest } from 'fastify';
import { OtaPermission } from '../ota-forge.permissions.js';
import { UnsupportedUploadError } from './catalog.errors.js';
import {
  artifactResponseSchema,
  createModuleBodySchema,
  createSetBodySchema,
  idParamsSchema,
  moduleListResponseSchema,
  moduleResponseSchema,
  setListResponseSchema,
  setResponseSchema,
  toArtifactResponse,
  toModuleResponse,
  toSetResponse,
  uploadQuerySchema,
  type ArtifactResponse,
  type CreateModuleBody,
  type CreateSetBody,
  type IdParams,
  type ModuleResponse,
  type SetResponse,
  type UploadQuery,
} from './catalog.dto.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('ota-catalog')
@Controller('ota/v1')
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Post('software-modules')
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Create a software module',
    body: createModuleBodySchema,
    response: moduleResponseSchema,
    status: 201,
  })
  async createModule(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateModuleBody,
  ): Promise<ModuleResponse> {
    return toModuleResponse(await this.catalog.createModule(principal, body));
  }

  @Get('software-modules')
  @Authenticated(OtaPermission.read)
  @Endpoint({ summary: "The caller's software modules", response: moduleListResponseSchema })
  async listModules(@CurrentPrincipal() principal: Principal): Promise<{ items: ModuleResponse[] }> {
    return { items: (await this.catalog.listModules(principal)).map(toModuleResponse) };
  }

  @Get('software-modules/:id')
  @Authenticated(OtaPermission.read)
  @Endpoint({
    summary: 'One software module with its artifacts',
    params: idParamsSchema,
    response: moduleResponseSchema,
  })
  async getModule(@CurrentPrincipal() principal: Principal, @Param() params: IdParams): Promise<ModuleResponse> {
    return toModuleResponse(await this.catalog.getModule(principal, params.id));
  }

  @Post('software-modules/:id/artifacts')
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Upload an artifact: the raw bytes as an application/octet-stream body, streamed to the store',
    params: idParamsSchema,
    query: uploadQuerySchema,
    response: artifactResponseSchema,
    status: 201,
  })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParams,
    @Query() query: UploadQuery,
    @Req() request: FastifyRequest,
  ): Promise<ArtifactResponse> {
    if (!(request.body instanceof Readable)) throw new UnsupportedUploadError();
    return toArtifactResponse(await this.catalog.upload(principal, params.id, query.filename, request.body));
  }

  @Post('distribution-sets')
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Create a distribution set of own modules',
    body: createSetBodySchema,
    response: setResponseSchema,
    status: 201,
  })
  async createSet(@CurrentPrincipal() principal: Principal, @Body() body: CreateSetBody): Promise<SetResponse> {
    return toSetResponse(await this.catalog.createSet(principal, body));
  }

  @Get('distribution-sets')
  @Authenticated(OtaPermission.read)
  @Endpoint({ summary: "The caller's distribution sets", response: setListResponseSchema })
  async listSets(@CurrentPrincipal() principal: Principal): Promise<{ items: SetResponse[] }> {
    return { items: (await this.catalog.listSets(principal)).map(toSetResponse) };
  }

  @Get('distribution-sets/:id')
  @Authenticated(OtaPermission.read)
  @Endpoint({ summary: 'One distribution set', params: idParamsSchema, response: setResponseSchema })
  async getSet(@CurrentPrincipal() principal: Principal, @Param() params: IdParams): Promise<SetResponse> {
    return toSetResponse(await this.catalog.getSet(principal, params.id));
  }
}
