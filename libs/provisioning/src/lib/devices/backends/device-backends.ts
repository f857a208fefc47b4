import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  DEVICE_REGISTRY,
  DEVICE_REGISTRY_CONFIG,
  EmbeddedMqttBroker,
  IDENTITY_PROVIDER,
  OTA_TARGETS,
  type DeviceRegistry,
  type DeviceRegistryConfig,
  type IdentityProvider,
  type OtaTargets,
} from '@flexgalaxy/adapters';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../../provisioning.config.js';

export interface DeviceCredentials {
  mqtt: { host: string; port: number; accessToken: string };
  ddi: { baseUrl: string; tenant: string; controllerId: string; securityToken: string };
  m2m?: { clientId: string; clientSecret: string; tokenEndpoint: string };
}

/**
 * The three systems a device lives in (seed 002 "Backend System Registration"), behind their ports,
 * with the same device id everywhere: DEVICE_REGISTRY (ThingsBoard's role), OTA_TARGETS (OTA Forge /
 * hawkBit) and IDENTITY_PROVIDER (DotID). Also says where devices find them (credentials).
 * The ports are public so that use cases drive them step by step inside a Saga.
 */
@Injectable()
export class DeviceBackends {
  constructor(
    @Inject(DEVICE_REGISTRY) readonly registry: DeviceRegistry,
    @Inject(OTA_TARGETS) readonly ota: OtaTargets,
    @Inject(IDENTITY_PROVIDER) readonly identity: IdentityProvider,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
    @Optional() @Inject(EmbeddedMqttBroker) private readonly broker?: EmbeddedMqttBroker,
    @Optional() @Inject(DEVICE_REGISTRY_CONFIG) private readonly registryConfig?: DeviceRegistryConfig,
  ) {}

  /** Permissions of a device's M2M client. */
  get m2mPermissions(): string[] {
    return [...this.config.DEVICE_M2M_PERMISSIONS];
  }

  credentials(
    deviceId: string,
    secrets: { mqttToken: string; ddiToken: string; m2mSecret?: string | undefined },
  ): DeviceCredentials {
    return {
      mqtt: { ...this.mqttEndpoint(), accessToken: secrets.mqttToken },
      ddi: {
        baseUrl: this.config.DDI_BASE_URL.replace(/\/$/, ''),
        tenant: this.config.DDI_TENANT,
        controllerId: deviceId,
        securityToken: secrets.ddiToken,
      },
      ...(secrets.m2mSecret
        ? {
            m2m: { clientId: deviceId, clientSecret: secrets.m2mSecret, tokenEndpoint: this.identity.tokenEndpoint() },
          }
        : {}),
    };
  }

  private mqttEndpoint(): { host: string; port: number } {
    let host = this.registryConfig?.MQTT_HOST ?? '127.0.0.1';
    let port = this.registryConfig?.MQTT_PORT ?? 1883;
    if (this.broker) {
      try {
        ({ host, port } = this.broker.address);
      } catch {
        // Not listening (yet): the configured address is what devices will reach.
      }
    }
    return { host: this.config.MQTT_PUBLIC_HOST ?? host, port: this.config.MQTT_PUBLIC_PORT ?? port };
  }
}
