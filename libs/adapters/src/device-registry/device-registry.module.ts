import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { applyMigrations, DatabaseConnection, MIGRATIONS_DIRECTORY, PrismaService } from '@flexgalaxy/db';
import type { DeviceRegistryConfig } from './device-registry.config.js';
import { DEVICE_REGISTRY } from './device-registry.port.js';
import { DEVICE_REGISTRY_CONFIG } from './device-registry.tokens.js';
import { DEVICE_TELEMETRY_FEED, type DeviceTelemetryFeed } from './device-telemetry.feed.js';
import { DEFAULT_TELEMETRY_BATCHING, EmbeddedDeviceRegistry } from './embedded/embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded/embedded-mqtt-broker.js';
import { EmbeddedMqttBrokerHost } from './embedded/embedded-mqtt-broker.host.js';
import { ThingsboardDeviceRegistry } from './thingsboard/thingsboard-device-registry.js';

/**
 * With ThingsBoard, devices send telemetry to ThingsBoard's own MQTT transport, out of this
 * process's sight: the feed stays silent and readers use getLatestTelemetry. (ThingsBoard's
 * WebSocket subscription API could feed it; not built yet.)
 */
const SILENT_TELEMETRY_FEED: DeviceTelemetryFeed = { onTelemetry: () => () => undefined };

function thingsboardProviders(config: DeviceRegistryConfig): Provider[] {
  const { THINGSBOARD_URL, THINGSBOARD_USERNAME, THINGSBOARD_PASSWORD } = config;
  // deviceRegistryConfigSchema requires these with THINGSBOARD_URL; this guards hand-made configs.
  if (!THINGSBOARD_URL || !THINGSBOARD_USERNAME || !THINGSBOARD_PASSWORD) {
    throw new Error('THINGSBOARD_URL needs THINGSBOARD_USERNAME and THINGSBOARD_PASSWORD');
  }
  return [
    {
      provide: DEVICE_REGISTRY,
      useFactory: () =>
        new ThingsboardDeviceRegistry({
          url: THINGSBOARD_URL,
          username: THINGSBOARD_USERNAME,
          password: THINGSBOARD_PASSWORD,
          timeoutMs: config.THINGSBOARD_TIMEOUT_MS,
        }),
    },
    { provide: DEVICE_TELEMETRY_FEED, useValue: SILENT_TELEMETRY_FEED },
  ];
}

const REGISTRY_PRISMA = Symbol('REGISTRY_PRISMA');

/** The registry's own database connection (REGISTRY_DATABASE_URL), closed with the app. */
@Injectable()
class RegistryDatabase implements OnApplicationShutdown {
  constructor(@Inject(REGISTRY_PRISMA) private readonly prisma: PrismaService) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    await this.prisma.connection.close();
  }
}

function registryPrismaProviders(config: DeviceRegistryConfig): Provider[] {
  const url = config.REGISTRY_DATABASE_URL;
  if (!url) return [{ provide: REGISTRY_PRISMA, useExisting: PrismaService }];
  return [
    {
      provide: REGISTRY_PRISMA,
      useFactory: async () => {
        const connection = await DatabaseConnection.open({
          DATABASE_URL: url,
          PGLITE_DATA_DIR: 'unused',
          DATABASE_POOL_SIZE: 5,
        });
        await applyMigrations(connection.sql, MIGRATIONS_DIRECTORY);
        return new PrismaService(connection);
      },
    },
    RegistryDatabase,
  ];
}

function embeddedProviders(config: DeviceRegistryConfig): Provider[] {
  return [
    ...registryPrismaProviders(config),
    {
      provide: EmbeddedDeviceRegistry,
      useFactory: (prisma: PrismaService) =>
        new EmbeddedDeviceRegistry(prisma, {
          ...DEFAULT_TELEMETRY_BATCHING,
          maxBatchSize: config.MQTT_TELEMETRY_BATCH_SIZE,
          maxDelayMs: config.MQTT_TELEMETRY_BATCH_DELAY_MS,
        }),
      inject: [REGISTRY_PRISMA],
    },
    {
      provide: EmbeddedMqttBroker,
      useFactory: (registry: EmbeddedDeviceRegistry) =>
        new EmbeddedMqttBroker(registry, { host: config.MQTT_HOST, port: config.MQTT_PORT }),
      inject: [EmbeddedDeviceRegistry],
    },
    ...(config.MQTT_BROKER === 'on' ? [EmbeddedMqttBrokerHost] : []),
    { provide: DEVICE_REGISTRY, useExisting: EmbeddedDeviceRegistry },
    { provide: DEVICE_TELEMETRY_FEED, useExisting: EmbeddedDeviceRegistry },
  ];
}

/**
 * ThingsBoard's role in the platform: provides DEVICE_REGISTRY and DEVICE_TELEMETRY_FEED to every
 * module (global). THINGSBOARD_URL picks ThingsBoard's REST API; otherwise the embedded registry
 * (needs DatabaseModule) and its MQTT broker, started on module init and stopped on shutdown.
 */
@Module({})
export class DeviceRegistryModule {
  static forRoot(config: DeviceRegistryConfig): DynamicModule {
    const embedded = !config.THINGSBOARD_URL;
    return {
      module: DeviceRegistryModule,
      global: true,
      providers: [
        { provide: DEVICE_REGISTRY_CONFIG, useValue: config },
        ...(embedded ? embeddedProviders(config) : thingsboardProviders(config)),
      ],
      exports: [
        DEVICE_REGISTRY,
        DEVICE_TELEMETRY_FEED,
        DEVICE_REGISTRY_CONFIG,
        ...(embedded ? [EmbeddedMqttBroker] : []),
      ],
    };
  }
}
