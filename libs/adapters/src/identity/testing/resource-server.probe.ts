import { Controller, Get, Module, type DynamicModule, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthModule, Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { createHttpApp } from '@flexgalaxy/service-kit';

export interface PrincipalView {
  subject: string;
  accountId: string;
  permissions: string[];
  roles: string[];
  isPlatformAdmin: boolean;
}

/** Routes that show what the real guard (JwtStrategy + PermissionsGuard) made of a bearer token. */
@Controller('probe')
export class ProbeController {
  @Get('whoami')
  @Authenticated()
  whoami(@CurrentPrincipal() principal: Principal): PrincipalView {
    return {
      subject: principal.subject,
      accountId: principal.accountId,
      permissions: [...principal.permissions].sort(),
      roles: [...principal.roles].sort(),
      isPlatformAdmin: principal.isPlatformAdmin,
    };
  }

  @Get('devices')
  @Authenticated('devices.write')
  devices(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class ResourceServerProbeModule {}

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** Boots `root` with the platform's own HTTP stack and listens on `port` (0: any). */
export async function listen(root: Type<unknown> | DynamicModule, service: string, port = 0): Promise<RunningApp> {
  const app = await createHttpApp(root, { service, logLevel: 'silent' });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { app, url: `http://127.0.0.1:${actualPort}`, close: () => app.close() };
}

/** A tiny resource server: AuthModule trusting `issuerUrl`, and the probe routes. */
export function startResourceServer(issuerUrl: string, audience: string): Promise<RunningApp> {
  const root: DynamicModule = {
    module: ResourceServerProbeModule,
    imports: [AuthModule.forRoot({ OIDC_ISSUER_URL: issuerUrl, OIDC_AUDIENCE: audience })],
    controllers: [ProbeController],
  };
  return listen(root, 'identity-probe');
}

/** GET on the probe with a bearer token (or none); the body is the JSON answer. */
export async function callProbe(
  server: RunningApp,
  path: 'whoami' | 'devices',
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/probe/${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
