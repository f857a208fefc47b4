import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service } });
}

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace';

/**
 * Routes Nest's log calls into the same pino stream as the request logs. Nest passes
 * `(message, ...params, context)`; an object message keeps its fields as structured data, and
 * a string after it is the log text (`logger.warn({ consumer }, 'event dead-lettered')`).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const text = rest.find((param): param is string => typeof param === 'string');
    if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message }, text);
    } else {
      this.logger[level]({ context, ...(text ? { detail: text } : {}) }, String(message));
    }
  }
}
