import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OAuthError } from './oauth.errors.js';

/** Answers token-endpoint failures in RFC 6749 §5.2's shape, never cached. */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    // RFC 6749 §5.2: a 401 must name the authentication scheme the client should use.
    if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="flexgalaxy", error="invalid_client"');
    void reply.status(error.status).send({ error: error.error, error_description: error.description });
  }
}
