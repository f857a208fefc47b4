import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@flexgalaxy/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { ErrorBody } from './error-body.js';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  invalid_state: 409,
  unavailable: 503,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'RESOURCE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  409: 'RESOURCE.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
};

interface Mapped {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
}

function hasClientStatus(error: unknown): error is Error & { statusCode: number } {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Maps every error to one body shape: `{ code, message, details?, requestId }` (STYLE.md §4). */
export function mapError(error: unknown): Mapped {
  if (error instanceof DomainError) {
    const body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
    return { status: STATUS_BY_KIND[error.kind], body };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return { status: 400, body: { code: 'REQUEST.INVALID', message: 'invalid request', details: { issues } } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const message = status >= 500 ? 'internal error' : error.message;
    return { status, body: { code: CODE_BY_STATUS[status] ?? `HTTP.${status}`, message } };
  }
  // Fastify's own client errors: malformed JSON, body too large, wrong content type.
  if (hasClientStatus(error)) {
    return {
      status: error.statusCode,
      body: { code: CODE_BY_STATUS[error.statusCode] ?? `HTTP.${error.statusCode}`, message: error.message },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = mapError(error);
    if (status >= 500) this.logger.error({ err: error, requestId: request.id }, 'request failed');
    void reply.status(status).send({ ...body, requestId: String(request.id) } satisfies ErrorBody);
  }
}
