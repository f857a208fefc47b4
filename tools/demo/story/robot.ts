import { createHash } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connectAsync, type MqttClient } from 'mqtt';
import { Api, ApiError, ClientCredentials, type Answer } from './api.js';
import type { DeviceCertificate } from './device-pki.js';

/** What an enrollment, a credential rotation and a transfer hand the device (seed 002), once. */
export interface DeviceCredentials {
  mqtt: { host: string; port: number; accessToken: string };
  ddi: { baseUrl: string; tenant: string; controllerId: string; securityToken: string };
  m2m?: { clientId: string; clientSecret: string; tokenEndpoint: string };
}

export interface Enrollment {
  deviceId: string;
  state: string;
  accountId: string;
  credentials: DeviceCredentials;
}

/** The device's TLS endpoint and the root CA it trusts for it (`GET /provisioning/v1/root-ca`). */
export interface DeviceEndpoint {
  host: string;
  port: number;
  rootCaPem: string;
}

export interface RobotSpec {
  /** 1-based, for the narration. */
  number: number;
  controllerSerial: string;
  serial: string;
  model: string;
  revision: string;
  /** IANA zone set at assembly: its local time decides the maintenance window. */
  timezone: string;
}

/** One software installed through DDI, as the robot saw it. */
export interface Installed {
  name: string;
  version: string;
  part: string;
  actionId: string;
  bytes: number;
}

interface ControllerBase {
  config: { polling: { sleep: string } };
  _links?: Record<string, { href: string } | undefined>;
}

interface DeploymentBase {
  id: string;
  deployment: {
    download: string;
    update: string;
    maintenanceWindow?: string;
    chunks: {
      part: string;
      version: string;
      name: string;
      artifacts: {
        filename: string;
        size: number;
        hashes: { sha256: string };
        _links: Record<string, { href: string }>;
      }[];
    }[];
  };
}

export type MqttVerdict = 'accepted' | 'refused';

/**
 * A robot as its own firmware drives the platform: it enrolls over mTLS on the device TLS
 * listener, reports telemetry over MQTT with its access token as user name, polls DDI with its
 * TargetToken and follows the links it is handed, and calls business APIs with its M2M client.
 * It only ever knows what enrollments and transfers handed it.
 */
export class Robot {
  deviceId = '';
  credentials: DeviceCredentials | null = null;
  /** Software the robot runs, by name (RobotOS, NavSoft) → version. */
  readonly software = new Map<string, string>();
  readonly installs: Installed[] = [];
  robotCertificate: DeviceCertificate | null = null;
  private m2mClient: { secret: string; client: ClientCredentials } | null = null;

  constructor(
    readonly spec: RobotSpec,
    readonly controllerCertificate: DeviceCertificate,
    private readonly endpoint: DeviceEndpoint,
  ) {}

  get label(): string {
    return this.spec.serial;
  }

  /** POST /provisioning/v1/enroll on the device TLS listener, presenting `certificate`. */
  enroll(body: Record<string, unknown>, certificate: DeviceCertificate): Promise<Answer<Record<string, unknown>>> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        {
          host: this.endpoint.host,
          port: this.endpoint.port,
          method: 'POST',
          path: '/provisioning/v1/enroll',
          ca: this.endpoint.rootCaPem,
          key: certificate.key,
          cert: certificate.cert,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: response.statusCode ?? 0,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
              headers: new Headers(),
            });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  private async enrolled(body: Record<string, unknown>, certificate: DeviceCertificate): Promise<Enrollment> {
    const answer = await this.enroll(body, certificate);
    if (answer.status !== 201) throw new ApiError('POST', '/provisioning/v1/enroll', answer.status, answer.body);
    const enrollment = answer.body as unknown as Enrollment;
    this.deviceId = enrollment.deviceId;
    this.credentials = enrollment.credentials;
    return enrollment;
  }

  /** seed 002 Factory: the controller board proves itself with the certificate burnt in at the factory. */
  enrollAtFactory(manufacturer: string): Promise<Enrollment> {
    return this.enrolled(
      {
        scenario: 'factory',
        device_type: 'controller',
        manufacturer,
        serial: this.spec.controllerSerial,
        firmware_version: 'bootloader-1.0',
      },
      this.controllerCertificate,
    );
  }

  /** seed 002 Assembly: the controller becomes an AMR-X1 (type, model, revision, capabilities). */
  assemble(robotCertificate: DeviceCertificate): Promise<Enrollment> {
    this.robotCertificate = robotCertificate;
    return this.enrolled(
      {
        scenario: 'assembly',
        device_type: 'amr',
        parent_serial: this.spec.controllerSerial,
        serial: this.spec.serial,
        model: this.spec.model,
        revision: this.spec.revision,
        capabilities: ['navigation', 'picking', 'charging'],
        timezone: this.spec.timezone,
      },
      this.controllerCertificate,
    );
  }

  /** seed 002 Field: activated at its site with the robot's own certificate; reports the site's zone. */
  activateInField(timezone: string): Promise<Enrollment> {
    if (!this.robotCertificate) throw new Error(`${this.label} has no robot certificate`);
    this.spec.timezone = timezone;
    return this.enrolled(
      { scenario: 'field', device_type: 'amr', serial: this.spec.serial, timezone },
      this.robotCertificate,
    );
  }

  /** New credentials from a transfer (the old owner hands them to the device). */
  adopt(credentials: DeviceCredentials): void {
    this.credentials = credentials;
  }

  private get current(): DeviceCredentials {
    if (!this.credentials) throw new Error(`${this.label} is not enrolled`);
    return this.credentials;
  }

  private async connect(accessToken: string): Promise<MqttClient> {
    const { host, port } = this.current.mqtt;
    return connectAsync(`mqtt://${host}:${port}`, {
      protocolVersion: 4,
      username: accessToken,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      clientId: `${this.deviceId}-${Math.random().toString(36).slice(2, 8)}`,
    });
  }

  /** Publishes runtime state (seed 000 "DeviceAdmin runtime state"); resolves once the broker stored it. */
  async report(telemetry: { battery: number; task: string }): Promise<void> {
    const client = await this.connect(this.current.mqtt.accessToken);
    try {
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify(telemetry), { qos: 1 });
    } finally {
      await client.endAsync();
    }
  }

  /** Whether the broker accepts a CONNECT with `accessToken` (the current one by default). */
  async mqttVerdict(accessToken = this.current.mqtt.accessToken): Promise<MqttVerdict> {
    try {
      const client = await this.connect(accessToken);
      await client.endAsync();
      return 'accepted';
    } catch (error) {
      // A CONNACK refusal carries its return code; anything else is a real failure.
      if (typeof (error as { code?: unknown }).code === 'number') return 'refused';
      throw error;
    }
  }

  private get ddiRoot(): string {
    const { baseUrl, tenant, controllerId } = this.current.ddi;
    return `${baseUrl}/${tenant}/controller/v1/${controllerId}`;
  }

  private ddi<T>(url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer<T>> {
    return new Api('').call<T>(init.method ?? 'GET', url, {
      authorization: `TargetToken ${init.token ?? this.current.ddi.securityToken}`,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  }

  /** The DDI poll's status with `securityToken` (the current one by default). */
  async ddiStatus(securityToken = this.current.ddi.securityToken): Promise<number> {
    return (await this.ddi(this.ddiRoot, { token: securityToken })).status;
  }

  async poll(): Promise<ControllerBase> {
    const answer = await this.ddi<ControllerBase>(this.ddiRoot);
    if (answer.status !== 200) throw new ApiError('GET', this.ddiRoot, answer.status, answer.body);
    return answer.body;
  }

  /** What the last poll offers: a deploymentBase link, or nothing (nothing pending, or deferred). */
  async offered(): Promise<string | null> {
    return (await this.poll())._links?.['deploymentBase']?.href ?? null;
  }

  private async feedback(actionId: string, execution: string, finished: string, details: string[] = []) {
    const url = `${this.ddiRoot}/deploymentBase/${actionId}/feedback`;
    const answer = await this.ddi(url, {
      method: 'POST',
      // `id` as hawkBit's DDI clients send it (required by hawkBit up to 0.3, equal to the path's).
      body: { id: actionId, status: { execution, result: { finished }, details } },
    });
    if (answer.status !== 200) throw new ApiError('POST', url, answer.status, answer.body);
  }

  /**
   * Executes one deployment as a hawkBit DDI client does: proceeding, download every artifact and
   * check its sha256, downloaded, then closed/success (or closed/failure on a bad hash).
   */
  async install(deploymentHref: string): Promise<Installed[]> {
    const answer = await this.ddi<DeploymentBase>(deploymentHref);
    if (answer.status !== 200) throw new ApiError('GET', deploymentHref, answer.status, answer.body);
    const { id, deployment } = answer.body;
    await this.feedback(id, 'proceeding', 'none', ['installing']);
    const installed: Installed[] = [];
    for (const chunk of deployment.chunks) {
      let bytes = 0;
      for (const artifact of chunk.artifacts) {
        const href = artifact._links['download-http']?.href ?? artifact._links['download']?.href ?? '';
        const response = await fetch(href, {
          headers: { authorization: `TargetToken ${this.current.ddi.securityToken}` },
        });
        const body = Buffer.from(await response.arrayBuffer());
        const sha256 = createHash('sha256').update(body).digest('hex');
        if (response.status !== 200 || sha256 !== artifact.hashes.sha256 || body.length !== artifact.size) {
          await this.feedback(id, 'closed', 'failure', [
            `${artifact.filename}: download ${response.status}, sha256 ${sha256}`,
          ]);
          throw new Error(
            `${this.label}: ${artifact.filename} failed its check (status ${response.status}, sha256 ${sha256})`,
          );
        }
        bytes += body.length;
      }
      installed.push({ name: chunk.name, version: chunk.version, part: chunk.part, actionId: id, bytes });
    }
    await this.feedback(id, 'downloaded', 'none', ['artifacts verified (sha256)']);
    await this.feedback(
      id,
      'closed',
      'success',
      installed.map((item) => `${item.name} ${item.version} installed`),
    );
    for (const item of installed) this.software.set(item.name, item.version);
    this.installs.push(...installed);
    return installed;
  }

  /** Installs whatever is offered until nothing is: the update agent's loop, without its sleeps. */
  async update(): Promise<Installed[]> {
    const all: Installed[] = [];
    for (let href = await this.offered(); href; href = await this.offered()) all.push(...(await this.install(href)));
    return all;
  }

  /** The robot's own M2M client (assembled and field-activated robots have one); its tokens are reused. */
  m2m(): ClientCredentials {
    const m2m = this.current.m2m;
    if (!m2m) throw new Error(`${this.label} has no M2M client`);
    if (this.m2mClient?.secret !== m2m.clientSecret) {
      this.m2mClient = {
        secret: m2m.clientSecret,
        client: new ClientCredentials(m2m.clientId, m2m.clientSecret, m2m.tokenEndpoint),
      };
    }
    return this.m2mClient.client;
  }
}
