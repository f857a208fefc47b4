import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

export interface BrokerAddress {
  host: string;
  port: number;
}

/**
 * A device as the tests drive it: a real `mqtt` client speaking MQTT 3.1.1 to the embedded broker,
 * with the access token as user name (ThingsBoard's convention) and no automatic reconnect, so a
 * refused or dropped connection stays visible to the test.
 */
export function connectTestDevice(
  broker: BrokerAddress,
  accessToken: string,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return connectAsync(`mqtt://${broker.host}:${broker.port}`, {
    protocolVersion: 4,
    username: accessToken,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
}

/** Connects, publishes one QoS 1 message (resolved at PUBACK, i.e. once stored) and disconnects. */
export async function publishOnce(
  broker: BrokerAddress,
  accessToken: string,
  topic: string,
  payload: unknown,
): Promise<void> {
  const client = await connectTestDevice(broker, accessToken);
  try {
    await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** Resolves when the client's connection is closed (by the broker or by itself). */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve();
    client.once('close', () => resolve());
  });
}
