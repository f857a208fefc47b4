import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEVICE_REGISTRY,
  DeviceRegistryModule,
  deviceRegistryConfigSchema,
  EmbeddedDeviceRegistry,
  EmbeddedMqttBroker,
  IDENTITY_PROVIDER,
  OTA_TARGETS,
  type DeviceRegistry,
  type IdentityProvider,
  type OtaTargets,
} from '@flexgalaxy/adapters';
import { PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { PrismaService } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import {
  OtaForgeFake,
  startServiceHarness,
  waitFor,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { connectAsync } from 'mqtt';
import { DeviceBackends } from '../src/lib/devices/backends/device-backends.js';
import { DeviceTlsListener } from '../src/lib/pki/device-tls.listener.js';
import { ProvisioningModule } from '../src/lib/provisioning.module.js';
import { provisioningConfigSchema } from '../src/lib/provisioning.config.js';
import { TestPki, type TestDeviceCertificate } from './test-pki.js';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export const WRITER = [
  'devices.read',
  'devices.write',
  'claim-tokens.read',
  'claim-tokens.write',
  'manufacturer-cas.write',
];

/** The trusted proxy the tests speak from (a second loopback address). */
export const TRUSTED_PROXY = '127.0.0.2';

function decodeClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The provisioning service over real HTTP and its real device TLS listener, on a test database,
 * with the embedded device registry + MQTT broker, the embedded OIDC issuer, and the OTA Forge
 * HTTP fake (OTA Forge itself is built in parallel). Accounts come as org.account.created events,
 * which is how provisioning learns them in production too.
 */
export class ProvisioningHarness {
  private tokens = new Map<string, string>();

  private constructor(
    readonly app: ServiceHarness,
    readonly fake: OtaForgeFake,
    readonly db: TestDatabase,
    readonly pki: TestPki,
    private readonly scratch: string,
  ) {}

  static async start(db: TestDatabase, env: Record<string, string> = {}): Promise<ProvisioningHarness> {
    const scratch = mkdtempSync(join(tmpdir(), 'fg-provisioning-'));
    // The OTA Forge fake believes only platform-admin tokens, as OTA Forge does.
    const fake = await new OtaForgeFake({
      acceptBearer: (token) => {
        const permissions = decodeClaims(token)['permissions'];
        return Array.isArray(permissions) && permissions.includes(PLATFORM_ADMIN_PERMISSION);
      },
    }).start();
    const pki = new TestPki();
    writeFileSync(join(scratch, 'root.pem'), pki.root.pem);
    writeFileSync(join(scratch, 'root.key'), pki.root.keyPem);
    const config = provisioningConfigSchema({ defaultPort: 0 }).parse({
      OTA_FORGE_URL: fake.url,
      PROVISIONING_ENCRYPTION_KEY: 'test-encryption-key-of-at-least-32-characters',
      ROOT_CA_CERT_FILE: join(scratch, 'root.pem'),
      ROOT_CA_KEY_FILE: join(scratch, 'root.key'),
      DEVICE_TLS_PORT: '0',
      TRUSTED_PROXY_ADDRESSES: TRUSTED_PROXY,
      ...env,
    });
    const app = await startServiceHarness(db, {
      imports: [
        DeviceRegistryModule.forRoot(
          deviceRegistryConfigSchema.parse({ MQTT_PORT: '0', MQTT_TELEMETRY_BATCH_DELAY_MS: '1' }),
        ),
        ProvisioningModule.forRoot(config),
      ],
    });
    return new ProvisioningHarness(app, fake, db, pki, scratch);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.fake.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  get prisma(): PrismaService {
    return this.app.app.get(PrismaService);
  }

  get registry(): DeviceRegistry {
    return this.app.app.get<DeviceRegistry>(DEVICE_REGISTRY);
  }

  get embeddedRegistry(): EmbeddedDeviceRegistry {
    const registry = this.registry;
    if (!(registry instanceof EmbeddedDeviceRegistry)) throw new Error('not the embedded registry');
    return registry;
  }

  get identity(): IdentityProvider {
    return this.app.app.get<IdentityProvider>(IDENTITY_PROVIDER);
  }

  get backends(): DeviceBackends {
    return this.app.app.get(DeviceBackends);
  }

  get tlsPort(): number {
    const address = this.app.app.get(DeviceTlsListener).address;
    if (!address) throw new Error('device TLS listener is not listening');
    return address.port;
  }

  get brokerAddress(): { host: string; port: number } {
    return this.app.app.get(EmbeddedMqttBroker).address;
  }

  /** Replaces the ports the use cases drive (failure-injection decorators), returning a restore function. */
  wrapPorts(wrap: {
    registry?: (real: DeviceRegistry) => DeviceRegistry;
    ota?: (real: OtaTargets) => OtaTargets;
    identity?: (real: IdentityProvider) => IdentityProvider;
  }): () => void {
    const backends = this.backends as unknown as {
      registry: DeviceRegistry;
      ota: OtaTargets;
      identity: IdentityProvider;
    };
    const original = { registry: backends.registry, ota: backends.ota, identity: backends.identity };
    if (wrap.registry) backends.registry = wrap.registry(original.registry);
    if (wrap.ota) backends.ota = wrap.ota(original.ota);
    if (wrap.identity) backends.identity = wrap.identity(original.identity);
    return () => Object.assign(backends, original);
  }

  get otaPort(): OtaTargets {
    return this.app.app.get<OtaTargets>(OTA_TARGETS);
  }

  /** An account as org announces it; resolves once provisioning's projection has it. */
  async account(
    kind: 'maker' | 'member' | 'end_user' | 'developer',
    parent?: { id: string; path: string; orgRootId: string },
  ) {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    const orgRootId = parent?.orgRootId ?? id;
    const writer = this.app.app.get(OutboxWriter);
    await this.prisma.$transaction((tx) =>
      writer.append(
        tx,
        'org.account.created',
        {
          accountId: id,
          name: `${kind} ${id.slice(0, 8)}`,
          kind,
          parentAccountId: parent?.id ?? null,
          orgRootAccountId: orgRootId,
          path,
        },
        { accountId: id },
      ),
    );
    await waitFor(async () => (await this.prisma.provisioningAccount.count({ where: { id } })) === 1, 20_000);
    return { id, path, orgRootId };
  }

  /** A bearer token for the account with the writer permissions (cached per account). */
  async tokenOf(accountId: string, permissions = WRITER): Promise<string> {
    const key = `${accountId}|${permissions.join(',')}`;
    const cached = this.tokens.get(key);
    if (cached) return cached;
    const token = await this.app.clientToken(accountId, permissions);
    this.tokens.set(key, token);
    return token;
  }

  adminToken(): Promise<string> {
    return Promise.resolve(this.app.adminToken);
  }

  call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    return this.app.call(method, path, options.token ?? null, options.body, options.headers) as Promise<Answer>;
  }

  /** Registers a manufacturer sub-CA for the account through the API. */
  async registerCa(accountId: string, pem: string): Promise<Answer> {
    return this.call('POST', '/provisioning/v1/manufacturer-cas', {
      token: await this.tokenOf(accountId),
      body: { certificatePem: pem },
    });
  }

  /** POST /enroll over the device TLS listener, presenting `certificate` (or none) in the handshake. */
  enrollOverTls(
    body: unknown,
    certificate: TestDeviceCertificate | null,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        {
          host: '127.0.0.1',
          port: this.tlsPort,
          method: 'POST',
          path: '/provisioning/v1/enroll',
          ca: this.pki.root.pem,
          servername: 'localhost',
          ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
          agent: false,
        },
        (response) => collect(response, resolve, reject),
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** POST /enroll on the plain HTTP port, from `localAddress` (a trusted proxy, or not). */
  enrollOverHttp(body: unknown, headers: Record<string, string> = {}, localAddress = '127.0.0.1'): Promise<Answer> {
    const payload = JSON.stringify(body);
    const url = new URL(this.app.url);
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          host: url.hostname,
          port: Number(url.port),
          method: 'POST',
          path: '/provisioning/v1/enroll',
          localAddress,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
          agent: false,
        },
        (response) => collect(response, resolve, reject),
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** What the embedded broker answers an MQTT CONNECT with this token as user name. */
  async mqttConnect(accessToken: string): Promise<'accepted' | 'refused'> {
    const { host, port } = this.brokerAddress;
    try {
      const client = await connectAsync(`mqtt://${host}:${port}`, {
        protocolVersion: 4,
        username: accessToken,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      await client.endAsync();
      return 'accepted';
    } catch {
      return 'refused';
    }
  }

  /** Publishes telemetry as the device does (QoS 1: resolved once stored). */
  async publishTelemetry(accessToken: string, payload: unknown): Promise<void> {
    const { host, port } = this.brokerAddress;
    const client = await connectAsync(`mqtt://${host}:${port}`, {
      protocolVersion: 4,
      username: accessToken,
      reconnectPeriod: 0,
    });
    try {
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify(payload), { qos: 1 });
    } finally {
      await client.endAsync();
    }
  }

  /** The status the identity provider's token endpoint answers these client credentials with. */
  async tokenEndpointStatus(clientId: string, clientSecret: string): Promise<number> {
    const response = await fetch(this.identity.tokenEndpoint(), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Event types the outbox holds for a device, in order. */
  async eventsOf(deviceId: string): Promise<string[]> {
    const rows = await this.prisma.outboxEvent.findMany({ where: { deviceId }, orderBy: { occurredAt: 'asc' } });
    return rows.map((row) => row.type);
  }

  async payloadsOf(deviceId: string, type: string): Promise<Record<string, unknown>[]> {
    const rows = await this.prisma.outboxEvent.findMany({ where: { deviceId, type }, orderBy: { occurredAt: 'asc' } });
    return rows.map((row) => row.payload as Record<string, unknown>);
  }
}

function collect(
  response: import('node:http').IncomingMessage,
  resolve: (answer: Answer) => void,
  reject: (error: Error) => void,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('error', reject);
  response.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
    } catch {
      resolve({ status: response.statusCode ?? 0, body: { raw: text } });
    }
  });
}

export interface Credentials {
  mqtt: { host: string; port: number; accessToken: string };
  ddi: { baseUrl: string; tenant: string; controllerId: string; securityToken: string };
  m2m?: { clientId: string; clientSecret: string; tokenEndpoint: string };
}

export const credentialsOf = (answer: Answer): Credentials => answer.body['credentials'] as Credentials;
