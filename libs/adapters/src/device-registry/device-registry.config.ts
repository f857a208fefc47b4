import { z } from 'zod';

const optionalText = z.string().min(1).optional();

/**
 * Device registry settings. THINGSBOARD_URL picks the ThingsBoard adapter; without it the embedded
 * registry keeps devices in the platform database and runs its own MQTT broker on
 * MQTT_HOST:MQTT_PORT (18830 by default: 1883 usually belongs to the machine's Mosquitto).
 */
export const deviceRegistryConfigSchema = z
  .object({
    MQTT_HOST: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port (tests). */
    MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(18830),
    /** Telemetry points written by one statement at most. */
    MQTT_TELEMETRY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    /**
     * How long a lone telemetry message waits for others before it is written. Devices send their
     * next message when the PUBACK of the last arrives, so under load every wait is a pause of the
     * whole pipeline: 5 ms gave 28,000-38,000 msg/s in the mqtt-telemetry bench, 1 ms 39,000-41,000.
     */
    MQTT_TELEMETRY_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(1),
    /**
     * Where the embedded registry keeps its data. The registry stands in for ThingsBoard, an
     * outside system several services use (provisioning writes devices, OTA Forge reads their
     * battery): in the distributed shape they share it through this database. Unset: the
     * service's own database.
     */
    REGISTRY_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    /** Whether this process runs the embedded MQTT broker (one process per deployment does). */
    MQTT_BROKER: z.enum(['on', 'off']).default('on'),
    THINGSBOARD_URL: z.url().optional(),
    /** A tenant administrator of the ThingsBoard tenant that holds the platform's devices. */
    THINGSBOARD_USERNAME: optionalText,
    THINGSBOARD_PASSWORD: optionalText,
    THINGSBOARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  })
  .superRefine((config, context) => {
    if (!config.THINGSBOARD_URL) return;
    for (const name of ['THINGSBOARD_USERNAME', 'THINGSBOARD_PASSWORD'] as const) {
      if (!config[name])
        context.addIssue({ code: 'custom', path: [name], message: 'required when THINGSBOARD_URL is set' });
    }
  });

export type DeviceRegistryConfig = z.output<typeof deviceRegistryConfigSchema>;
