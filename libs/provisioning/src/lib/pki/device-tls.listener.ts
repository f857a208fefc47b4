import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';
import { PlatformCaService } from './platform-ca.service.js';

/**
 * The devices' own HTTPS port (DEVICE_TLS_HOST:DEVICE_TLS_PORT, 127.0.0.1:8443 by default). It asks
 * every client for a certificate but does not refuse the handshake: the certificate is judged by
 * the enrollment (registered manufacturer CA, validity, serial), which then answers with a precise
 * reason and records the rejection, instead of a bare TLS alert. Requests are served by the very
 * same Fastify routes as the main port (`fastify.routing`), so the API is identical on both.
 */
@Injectable()
export class DeviceTlsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeviceTlsListener.name);
  private server: Server | undefined;
  private ready: Promise<unknown> | undefined;

  constructor(
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
    @Inject(PlatformCaService) private readonly ca: PlatformCaService,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Where the listener listens (after bootstrap), or null when it is disabled. */
  get address(): { host: string; port: number } | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEVICE_TLS_ENABLED) return;
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const { certificatePem, privateKeyPem } = await this.ca.deviceTlsServer();
    const root = await this.ca.rootCa();
    const server = createServer(
      {
        key: privateKeyPem,
        cert: `${certificatePem}${root.certificatePem}`,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      (request, response) => {
        // Routes are registered once the app is ready; the first request waits for it.
        this.ready ??= new Promise((resolve, reject) => {
          void fastify.ready((error) => (error ? reject(error) : resolve(undefined)));
        });
        void this.ready.then(
          () => fastify.routing(request, response),
          () => response.writeHead(503).end(),
        );
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.DEVICE_TLS_PORT, this.config.DEVICE_TLS_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: Error) => {
      throw new Error(
        `cannot listen for device TLS on ${this.config.DEVICE_TLS_HOST}:${this.config.DEVICE_TLS_PORT}: ${error.message}`,
        { cause: error },
      );
    });
    this.server = server;
    this.logger.log(`device TLS listener on https://${this.config.DEVICE_TLS_HOST}:${this.address?.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
