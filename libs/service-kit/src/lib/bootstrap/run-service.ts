import type { AddressInfo } from 'node:net';
import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { z } from 'zod';
import { InvalidConfigurationError, loadConfigSections } from '../config/load-config.js';
import { createHttpApp } from '../http/create-http-app.js';

type Sections = Record<string, z.ZodType<Record<string, unknown>>> & {
  http: z.ZodType<{ HOST: string; PORT: number; LOG_LEVEL: string }>;
};
type Loaded<T extends Sections> = { readonly [K in keyof T]: Readonly<z.output<T[K]>> };

export interface RunServiceOptions<T extends Sections> {
  service: string;
  sections: T;
  env: Record<string, string | undefined>;
  module: (config: Loaded<T>) => DynamicModule;
  /** Lines printed once the service listens (URLs, where credentials are). */
  banner?: (url: string, config: Loaded<T>) => string[];
}

/**
 * Boots one process the same way for every app: parse all config (exit 1 naming every bad
 * variable), build the HTTP app, listen, print the banner.
 */
export async function runService<T extends Sections>(options: RunServiceOptions<T>): Promise<NestFastifyApplication> {
  let config: Loaded<T>;
  try {
    config = loadConfigSections(options.sections, options.env) as Loaded<T>;
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${options.service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const http = config.http as { HOST: string; PORT: number; LOG_LEVEL: string };
  const app = await createHttpApp(options.module(config), { service: options.service, logLevel: http.LOG_LEVEL });
  await app.listen(http.PORT, http.HOST);
  const url = `http://${http.HOST.includes(':') ? `[${http.HOST}]` : http.HOST}:${(app.getHttpServer().address() as AddressInfo).port}`;
  const lines = [
    `${options.service} listening on ${url}`,
    `  health   ${url}/health`,
    `  metrics  ${url}/metrics`,
    `  docs     ${url}/docs`,
    ...(options.banner?.(url, config) ?? []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return app;
}
