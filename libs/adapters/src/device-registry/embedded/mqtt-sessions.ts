import type { Client } from 'aedes';

export interface DeviceSession {
  deviceId: string;
  /** sha256 of the token the session authenticated with: a rotation keeps the new token's sessions. */
  tokenHash: string;
}

/** The authenticated MQTT sessions, by client and by device (a device may hold several). */
export class MqttSessions {
  private readonly byClient = new Map<Client, DeviceSession>();
  private readonly byDevice = new Map<string, Set<Client>>();

  /** Registers the session until its connection closes, whichever way it closes. */
  add(client: Client, session: DeviceSession): void {
    this.byClient.set(client, session);
    let clients = this.byDevice.get(session.deviceId);
    if (!clients) this.byDevice.set(session.deviceId, (clients = new Set()));
    clients.add(client);
    client.conn.once('close', () => this.remove(client));
  }

  get(client: Client): DeviceSession | undefined {
    return this.byClient.get(client);
  }

  clientsOf(deviceId: string): [Client, DeviceSession][] {
    return [...(this.byDevice.get(deviceId) ?? [])].map((client) => [
      client,
      this.byClient.get(client) as DeviceSession,
    ]);
  }

  get size(): number {
    return this.byClient.size;
  }

  private remove(client: Client): void {
    const session = this.byClient.get(client);
    if (!session) return;
    this.byClient.delete(client);
    const clients = this.byDevice.get(session.deviceId);
    clients?.delete(client);
    if (clients?.size === 0) this.byDevice.delete(session.deviceId);
  }
}
