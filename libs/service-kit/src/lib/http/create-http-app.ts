import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger, PinoNestLogger } from '../observability/logger.js';
import { ServiceMetrics } from '../observability/metrics.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { RequestValidationInterceptor } from './request-validation.interceptor.js';

export interface HttpAppOptions {
  /** Service name: logs, metrics labels and the OpenAPI title. */
  service: string;
  logLevel: string;
  /** Largest accepted request body; artifact uploads stream and set their own. */
  bodyLimitBytes?: number;
}

const REQUEST_ID_HEADER = 'x-request-id';

function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  // A caller's id is kept only if it is short and plain, so it cannot forge log lines.
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Builds a service's HTTP application the same way for every app: Fastify with pino request
 * logs carrying a request id, the one error filter, zod validation, /metrics and /docs.
 * The caller listens; `/health` comes from the service's module (HealthController).
 */
export async function createHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const logger = createLogger(options.service, options.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestId,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
  });
  adapter.getInstance().addHook('onSend', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  app.useGlobalFilters(new DomainErrorFilter());
  app.useGlobalInterceptors(new RequestValidationInterceptor(app.get(Reflector)));
  app.enableShutdownHooks();

  new ServiceMetrics(options.service).instrument(app.getHttpAdapter().getInstance());

  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(`FlexGalaxy ${options.service}`).addBearerAuth().build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
