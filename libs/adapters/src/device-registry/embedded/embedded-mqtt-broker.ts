import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { Aedes, type AuthenticateError, type AuthErrorCode, type Client, type PublishPacket } from 'aedes';
import { parseAttributesPayload, parseTelemetryPayload } from './device-payload.parser.js';
import type { EmbeddedDeviceRegistry, SessionRevocation } from './embedded-device-registry.js';
import { MqttSessions } from './mqtt-sessions.js';
import {
  CONSUMED_TOPIC,
  DEVICE_ATTRIBUTES_TOPIC,
  DEVICE_SUBSCRIPTION_FILTERS,
  DEVICE_TELEMETRY_TOPIC,
} from './mqtt-topics.js';

export interface EmbeddedMqttBrokerOptions {
  host: string;
  /** 0 picks a free port (tests); read the actual one from `address` after start(). */
  port: number;
}

// CONNACK return codes (MQTT 3.1.1 §3.2.2.3); aedes types them as an ambient const enum, which
// isolated modules cannot read.
const SERVER_UNAVAILABLE = 3 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;

function refusal(returnCode: AuthErrorCode, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

/**
 * The embedded MQTT endpoint (aedes) speaking ThingsBoard's device API: a device connects with its
 * access token as user name (password ignored, as ThingsBoard does for access-token credentials),
 * publishes JSON to `v1/devices/me/telemetry` / `v1/devices/me/attributes`, and may subscribe only
 * to its own attribute and RPC topics.
 *
 * Behaviour follows ThingsBoard's MQTT 3.1.1 transport: an unknown token is refused with CONNACK 4;
 * a PUBLISH to any other topic is acknowledged and dropped, the connection stays open; a malformed
 * payload closes the connection; a SUBSCRIBE to another filter gets 0x80. Wills and the retain flag
 * are ignored (ThingsBoard supports neither for devices).
 *
 * A PUBLISH is acknowledged only once its values are committed (the batcher resolves), so a QoS 1
 * message is never lost: if the database keeps failing the connection is closed without PUBACK and
 * the device sends it again.
 */
export class EmbeddedMqttBroker {
  private readonly logger = new Logger(EmbeddedMqttBroker.name);
  private readonly sessions = new MqttSessions();
  private readonly sockets = new Set<Socket>();
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private stopRevocations: (() => void) | undefined;
  // Bumped by every revocation, so that a CONNECT whose token lookup overlapped one looks again
  // instead of registering a session the revocation could not see.
  private revocations = 0;

  constructor(
    private readonly registry: EmbeddedDeviceRegistry,
    private readonly options: EmbeddedMqttBrokerOptions,
  ) {}

  /** Where the broker listens (after start()). */
  get address(): { host: string; port: number } {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the MQTT broker is not listening');
    return { host: address.address, port: address.port };
  }

  /** Authenticated sessions currently open. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const aedes = await Aedes.createBroker({
      preConnect: (_client, packet, done) => {
        delete packet.will;
        done(null, true);
      },
      authenticate: (client, username, _password, done) => {
        this.authenticate(client, username ?? '').then(
          () => done(null, true),
          (error: AuthenticateError) => done(error, null),
        );
      },
      authorizePublish: (client, packet, done) => {
        this.consume(client, packet).then(
          () => done(null),
          (error: Error) => done(error),
        );
      },
      authorizeSubscribe: (_client, subscription, done) => {
        done(null, DEVICE_SUBSCRIPTION_FILTERS.has(subscription.topic) ? subscription : null);
      },
      // Defence in depth: consumed packets are re-addressed already; never forward a device's
      // packet (aedes stamps `clientId` on packets that came from a client, not in its types).
      authorizeForward: (_client, packet) => ((packet as { clientId?: string }).clientId ? null : packet),
    });
    aedes.on('clientError', (client, error) => this.logger.debug(`client ${client.id}: ${error.message}`));
    const server = createServer(aedes.handle);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (error: Error) => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw new Error(`cannot listen for MQTT on ${this.options.host}:${this.options.port}: ${error.message}`, {
        cause: error,
      });
    });
    this.aedes = aedes;
    this.server = server;
    this.stopRevocations = this.registry.onSessionRevoked((revocation) => this.revoke(revocation));
    this.logger.log(`MQTT broker listening on ${this.address.host}:${this.address.port}`);
  }

  /**
   * Stops accepting connections, lets the queued telemetry commit (and be acknowledged), then
   * closes every session. The registry's own close() writes whatever arrived after that.
   */
  async stop(): Promise<void> {
    const { aedes, server } = this;
    if (!aedes || !server) return;
    this.aedes = undefined;
    this.server = undefined;
    this.stopRevocations?.();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    await this.registry.flush().catch(() => undefined);
    await this.settleWrites();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    // Sockets that never sent CONNECT are not aedes clients; aedes.close() does not see them.
    for (const socket of this.sockets) socket.destroy();
    await serverClosed;
  }

  /**
   * Lets the PUBACKs of the messages just committed reach the wire: aedes writes them a few ticks
   * after the commit, and closing a client destroys its socket with whatever is still buffered.
   */
  private async settleWrites(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const drained = [...this.sockets]
      .filter((socket) => socket.writableLength > 0)
      .map((socket) => new Promise((resolve) => socket.once('drain', resolve).once('close', resolve)));
    await Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  private async authenticate(client: Client, accessToken: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const revocationsBefore = this.revocations;
      let device;
      try {
        device = await this.registry.authenticate(accessToken);
      } catch (error) {
        this.logger.warn(`cannot authenticate MQTT client ${client.id}: ${(error as Error).message}`);
        throw refusal(SERVER_UNAVAILABLE, 'registry unavailable');
      }
      if (!device) throw refusal(BAD_USERNAME_OR_PASSWORD, 'unknown access token');
      if (this.revocations !== revocationsBefore) continue;
      // aedes drops the answer for a client closed meanwhile; registering it would leak.
      if (!client.closed)
        this.sessions.add(client, { deviceId: device.deviceId, tokenHash: this.registry.tokenHashOf(accessToken) });
      return;
    }
    throw refusal(SERVER_UNAVAILABLE, 'credentials changing, retry');
  }

  /** Hands the payload to the registry; resolves once stored, which is when aedes sends PUBACK. */
  private async consume(client: Client | null, packet: PublishPacket): Promise<void> {
    const session = client ? this.sessions.get(client) : undefined;
    if (!session) throw new Error('publish outside an authenticated session');
    const topic = packet.topic;
    packet.topic = CONSUMED_TOPIC;
    packet.retain = false;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (topic === DEVICE_TELEMETRY_TOPIC) {
      await this.registry.ingestTelemetry(parseTelemetryPayload(session.deviceId, payload, new Date()));
    } else if (topic === DEVICE_ATTRIBUTES_TOPIC) {
      await this.registry.reportClientAttributes(session.deviceId, parseAttributesPayload(payload));
    } else {
      this.logger.debug(`device ${session.deviceId} published to unsupported topic ${topic}; dropped`);
    }
  }

  private revoke({ deviceId, keepTokenHash }: SessionRevocation): void {
    this.revocations += 1;
    for (const [client, session] of this.sessions.clientsOf(deviceId)) {
      if (session.tokenHash !== keepTokenHash) client.close();
    }
  }
}
