import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

const OCTET_STREAM = 'application/octet-stream';

/**
 * Lets application/octet-stream bodies through as the raw request stream, so artifact uploads
 * are streamed to disk instead of being buffered (Fastify refuses this type by default). Other
 * routes that receive such a body see a stream and fail their body validation as before.
 */
@Injectable()
export class RawBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    if (fastify.hasContentTypeParser(OCTET_STREAM)) return;
    fastify.addContentTypeParser(OCTET_STREAM, (_request, payload, done) => done(null, payload));
  }
}
