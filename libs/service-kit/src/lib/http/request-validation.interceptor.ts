import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { ENDPOINT_SCHEMAS, type EndpointSchemas } from './endpoint.decorator.js';
import { RequestValidationError, type RequestPart } from './request-validation.error.js';

type MutableRequest = Record<Exclude<RequestPart, 'headers'>, unknown>;

/**
 * Replaces body, query and params with their parsed values before the handler runs, so
 * controllers receive typed, defaulted input. Runs after guards: an unauthenticated caller
 * gets 401, not a 400 that describes the endpoint.
 */
@Injectable()
export class RequestValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schemas = this.reflector.get<EndpointSchemas | undefined>(ENDPOINT_SCHEMAS, context.getHandler());
    if (schemas && context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<MutableRequest>();
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = schemas[part];
        if (!schema) continue;
        const result = schema.safeParse(request[part] ?? (part === 'body' ? undefined : {}));
        if (!result.success) throw new RequestValidationError(part, result.error);
        request[part] = result.data;
      }
    }
    return next.handle();
  }
}
