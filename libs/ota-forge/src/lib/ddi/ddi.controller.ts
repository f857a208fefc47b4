import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { DdiAuthGuard, DdiTarget } from './ddi-auth.guard.js';
import {
  cancelSchema,
  configDataBodySchema,
  controllerBaseSchema,
  ddiActionParamsSchema,
  ddiArtifactParamsSchema,
  ddiRootParamsSchema,
  deploymentBaseSchema,
  deploymentQuerySchema,
  feedbackBodySchema,
  type CancelResponse,
  type ConfigDataBody,
  type ControllerBase,
  type DdiActionParams,
  type DdiArtifactParams,
  type DdiRootParams,
  type DeploymentBase,
  type DeploymentQuery,
  type FeedbackBody,
  toFeedback,
} from './ddi.dto.js';
import { DdiResourceNotFoundError, PreconditionFailedError } from './ddi.errors.js';
import type { PollSnapshot } from './ddi.repository.js';
import { DdiService, type DdiLinks } from './ddi.service.js';
import { parseRange } from './domain/byte-range.js';
import { ddiPublicBase } from './domain/public-base.js';

const MD5SUM_SUFFIX = '.MD5SUM';

/** hawkBit's DDI paths and payloads, so a hawkBit DDI client works unchanged. */
@ApiTags('ddi')
@ApiHeader({ name: 'Authorization', description: 'TargetToken <token>', required: true })
@Controller(':tenant/controller/v1/:controllerId')
@UseGuards(DdiAuthGuard)
export class DdiController {
  constructor(
    @Inject(DdiService) private readonly ddi: DdiService,
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
  ) {}

  private links(request: FastifyRequest, params: DdiRootParams): DdiLinks {
    const base = ddiPublicBase(this.config.DDI_PUBLIC_URL, request);
    return {
      root: `${base}/${encodeURIComponent(params.tenant)}/controller/v1/${encodeURIComponent(params.controllerId)}`,
    };
  }

  @Get()
  @Endpoint({
    summary: 'Poll: what the server has for this target',
    params: ddiRootParamsSchema,
    response: controllerBaseSchema,
  })
  poll(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiRootParams,
    @Req() request: FastifyRequest,
  ): Promise<ControllerBase> {
    return this.ddi.poll(target, this.links(request, params));
  }

  @Get('deploymentBase/:actionId')
  @Endpoint({
    summary: 'The deployment to execute',
    params: ddiActionParamsSchema,
    query: deploymentQuerySchema,
    response: deploymentBaseSchema,
  })
  deploymentBase(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Query() query: DeploymentQuery,
    @Req() request: FastifyRequest,
  ): Promise<DeploymentBase> {
    return this.ddi.deploymentBase(target, params.actionId, query.actionHistory, this.links(request, params));
  }

  @Post('deploymentBase/:actionId/feedback')
  @HttpCode(200)
  @Endpoint({
    summary: 'Progress and result of the deployment',
    params: ddiActionParamsSchema,
    body: feedbackBodySchema,
  })
  async feedback(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Body() body: FeedbackBody,
  ): Promise<void> {
    await this.ddi.recordFeedback(target, params.actionId, toFeedback(body));
  }

  @Put('configData')
  @HttpCode(200)
  @Endpoint({
    summary: 'Attributes the device reports about itself',
    params: ddiRootParamsSchema,
    body: configDataBodySchema,
  })
  async configData(@DdiTarget() target: PollSnapshot, @Body() body: ConfigDataBody): Promise<void> {
    await this.ddi.putConfigData(target, body.mode, body.data);
  }

  @Get('cancelAction/:actionId')
  @Endpoint({ summary: 'An action the server wants stopped', params: ddiActionParamsSchema, response: cancelSchema })
  cancelAction(@DdiTarget() target: PollSnapshot, @Param() params: DdiActionParams): Promise<CancelResponse> {
    return this.ddi.cancelAction(target, params.actionId);
  }

  @Post('cancelAction/:actionId/feedback')
  @HttpCode(200)
  @Endpoint({
    summary: 'Whether the device accepted the cancellation',
    params: ddiActionParamsSchema,
    body: feedbackBodySchema,
  })
  async cancelFeedback(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Body() body: FeedbackBody,
  ): Promise<void> {
    await this.ddi.recordCancelFeedback(target, params.actionId, toFeedback(body));
  }

  @Get('installedBase/:actionId')
  @Endpoint({
    summary: 'The last successfully installed deployment',
    params: ddiActionParamsSchema,
    query: deploymentQuerySchema,
    response: deploymentBaseSchema,
  })
  installedBase(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Query() query: DeploymentQuery,
    @Req() request: FastifyRequest,
  ): Promise<DeploymentBase> {
    return this.ddi.installedBase(target, params.actionId, query.actionHistory, this.links(request, params));
  }

  @Get('softwaremodules/:moduleId/artifacts/:filename')
  @Endpoint({
    summary: 'Artifact download (RFC 7233 ranges) or its .MD5SUM file',
    params: ddiArtifactParamsSchema,
  })
  async download(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiArtifactParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const found = await this.ddi.artifact(target, params.moduleId, params.filename);
    if (!found && params.filename.endsWith(MD5SUM_SUFFIX)) {
      const name = params.filename.slice(0, -MD5SUM_SUFFIX.length);
      const base = name ? await this.ddi.artifact(target, params.moduleId, name) : null;
      if (!base) throw new DdiResourceNotFoundError('artifact');
      const body = `${base.artifact.md5}  ${base.artifact.filename}`;
      await reply
        .status(200)
        .header('content-type', 'text/plain')
        .header('content-disposition', `attachment;filename=${base.artifact.filename}${MD5SUM_SUFFIX}`)
        .send(body);
      return;
    }
    if (!found) throw new DdiResourceNotFoundError('artifact');
    const { artifact } = found;
    const etag = `"${artifact.sha1}"`;
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== '*' && !ifMatch.split(',').some((tag) => tag.trim() === etag)) {
      // 412 has no DomainError kind (the filter knows none): answered here, in the one error body.
      const error = new PreconditionFailedError();
      await reply.status(412).send({ code: error.code, message: error.message, requestId: String(request.id) });
      return;
    }
    const ifRange = request.headers['if-range'];
    const rangeHeader = typeof ifRange === 'string' && ifRange !== etag ? undefined : request.headers['range'];
    const range = parseRange(typeof rangeHeader === 'string' ? rangeHeader : undefined, artifact.size);
    void reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment;filename=${artifact.filename}`)
      .header('etag', etag)
      .header('last-modified', artifact.createdAt.toUTCString())
      .header('accept-ranges', 'bytes')
      .header('x-content-type-options', 'nosniff');
    if (range.kind === 'unsatisfiable') {
      await reply.status(416).header('content-range', `bytes */${artifact.size}`).send();
      return;
    }
    if (range.kind === 'partial') {
      const { start, end } = range.range;
      await reply
        .status(206)
        .header('content-range', `bytes ${start}-${end}/${artifact.size}`)
        .header('content-length', String(end - start + 1))
        .send(this.ddi.open(artifact, { start, end }));
      return;
    }
    // Only a full download marks the start: a resumed (ranged) one continues what was logged.
    if (found.actionStatus === 'retrieved' || found.actionStatus === 'running') {
      await this.ddi.downloadStarted(target, found.actionId, request.url);
    }
    await reply.status(200).header('content-length', String(artifact.size)).send(this.ddi.open(artifact));
  }
}
