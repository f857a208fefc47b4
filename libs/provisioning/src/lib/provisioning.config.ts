import { z } from 'zod';

const csv = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/**
 * The provisioning service's settings. `defaultOtaForgePort`: where OTA Forge answers when
 * OTA_FORGE_URL is unset: the platform's own port (all services in one process) or, for the lone
 * provisioning app, the ota-forge app's port.
 */
export function provisioningConfigSchema(options: { defaultPort: number; defaultOtaForgePort?: number }) {
  return z
    .object({
      HOST: z.string().min(1).default('127.0.0.1'),
      PORT: z.coerce.number().int().min(0).max(65535).default(options.defaultPort),
      /** OTA Forge's targets API (OTA_TARGETS port). */
      OTA_FORGE_URL: z.url().optional(),
      OTA_FORGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
      /** Where devices poll DDI (`{DDI_BASE_URL}/{DDI_TENANT}/controller/v1/{id}`); defaults to OTA_FORGE_URL. */
      DDI_BASE_URL: z.url().optional(),
      DDI_TENANT: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .default('DEFAULT'),
      /** What devices are told to connect to for MQTT; defaults to the embedded broker's address. */
      MQTT_PUBLIC_HOST: z.string().min(1).optional(),
      MQTT_PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
      /**
       * Encrypts the platform root CA's private key and the stored idempotent responses (which hold
       * credentials). Unset: a random key is generated once into PROVISIONING_KEY_FILE (0600).
       */
      PROVISIONING_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
      PROVISIONING_KEY_FILE: z.string().min(1).default('.data/provisioning/encryption.key'),
      /** The platform root CA given by the operator (PEM files); generated at first start otherwise. */
      ROOT_CA_CERT_FILE: z.string().min(1).optional(),
      ROOT_CA_KEY_FILE: z.string().min(1).optional(),
      /** The devices' TLS listener (client certificates); DEVICE_TLS_PORT=0 picks a free port. */
      DEVICE_TLS_ENABLED: z
        .enum(['true', 'false'])
        .default('true')
        .transform((value) => value === 'true'),
      DEVICE_TLS_HOST: z.string().min(1).default('127.0.0.1'),
      DEVICE_TLS_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
      /** Its server certificate (PEM files); issued by the platform root CA at first start otherwise. */
      DEVICE_TLS_CERT_FILE: z.string().min(1).optional(),
      DEVICE_TLS_KEY_FILE: z.string().min(1).optional(),
      /** Header a TLS-terminating proxy puts the client certificate in (PEM, URL-encoded). */
      DEVICE_CERT_HEADER: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/)
        .default('x-client-cert')
        .transform((value) => value.toLowerCase()),
      /** Addresses of proxies whose DEVICE_CERT_HEADER is believed (comma-separated); none by default. */
      TRUSTED_PROXY_ADDRESSES: z
        .string()
        .optional()
        .transform((value) => csv(value)),
      /** Lifetime of claim tokens when the request names none (anchors: ≤ 24 h, 1 h default). */
      CLAIM_TOKEN_DEFAULT_TTL_SECONDS: z.coerce
        .number()
        .int()
        .min(60)
        .max(30 * 86_400)
        .default(3600),
      CLAIM_TOKEN_MAX_TTL_SECONDS: z.coerce
        .number()
        .int()
        .min(60)
        .max(365 * 86_400)
        .default(30 * 86_400),
      /** seed 000 §5: application telemetry's transfer rule ("configurable per app"); the body may override. */
      APPLICATION_TELEMETRY_ON_TRANSFER: z.enum(['stay', 'follow']).default('stay'),
      /** Permissions of a device's M2M client (the business APIs a robot may call). */
      DEVICE_M2M_PERMISSIONS: z
        .string()
        .default('devices.read')
        .transform((value) => csv(value)),
      IDEMPOTENCY_TTL_SECONDS: z.coerce
        .number()
        .int()
        .min(60)
        .max(7 * 86_400)
        .default(86_400),
      /** A device operation that crashed releases its lease after this long. */
      OPERATION_LOCK_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    })
    .transform((config) => {
      const otaForgeUrl = config.OTA_FORGE_URL ?? `http://${config.HOST}:${options.defaultOtaForgePort ?? config.PORT}`;
      return { ...config, OTA_FORGE_URL: otaForgeUrl, DDI_BASE_URL: config.DDI_BASE_URL ?? otaForgeUrl };
    });
}

export type ProvisioningConfig = z.output<ReturnType<typeof provisioningConfigSchema>>;

export const PROVISIONING_CONFIG = Symbol('PROVISIONING_CONFIG');
