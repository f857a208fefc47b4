import type { HawkbitConfig } from '@flexgalaxy/adapters';
import { z } from 'zod';

const HHMMSS = /^(\d{2}):([0-5]\d):([0-5]\d)$/;

/** hawkBit's polling interval notation, HH:MM:SS. */
const sleepSchema = z.string().regex(HHMMSS, 'must be HH:MM:SS');

/**
 * OTA Forge settings. The DDI tenant is platform-wide (a device keeps its DDI base URL through
 * transfers); artifacts are files under ARTIFACTS_DIR, named by their sha256.
 */
export const otaForgeConfigSchema = z
  .object({
    DDI_TENANT: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only')
      .default('DEFAULT'),
    ARTIFACTS_DIR: z.string().min(1).default('.data/ota-forge/artifacts'),
    /** How long a device sleeps between polls when nothing is pending (hawkBit's config.polling.sleep). */
    DDI_POLLING_SLEEP: sleepSchema.default('00:00:30'),
    /** How long a device whose deployment is deferred (battery, task, window, wave) sleeps. */
    DDI_DEFERRED_POLLING_SLEEP: sleepSchema.default('00:05:00'),
    /** Base of the links DDI answers carry; unset: the scheme and Host of the device's request. */
    DDI_PUBLIC_URL: z.url().optional(),
    /** Largest artifact accepted (hawkBit's default quota is 1 GiB). */
    ARTIFACT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(1024 * 1024 * 1024),
    /**
     * hawkBit mode: set, OTA Forge mirrors targets, catalog and assignments to this hawkBit update
     * server through its Management API and proxies the DDI to it; unset, it serves the DDI itself.
     */
    HAWKBIT_URL: z.url().optional(),
    HAWKBIT_TENANT: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only')
      .default('DEFAULT'),
    HAWKBIT_USER: z.string().min(1).optional(),
    HAWKBIT_PASSWORD: z.string().min(1).optional(),
    HAWKBIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /**
     * Targets per bulk-matching transaction: a policy over more is matched chunk after chunk,
     * its progress recorded on the policy (a few seconds each at the default).
     */
    OTA_BULK_MATCH_CHUNK: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
    /** How often the bulk matcher looks for policies with chunks left (it goes on at once while there are). */
    OTA_BULK_MATCH_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(500),
  })
  .superRefine((config, context) => {
    if (!config.HAWKBIT_URL) return;
    for (const name of ['HAWKBIT_USER', 'HAWKBIT_PASSWORD'] as const) {
      if (!config[name]) context.addIssue({ code: 'custom', path: [name], message: 'required with HAWKBIT_URL' });
    }
  });

export type OtaForgeConfig = z.output<typeof otaForgeConfigSchema>;

export const OTA_FORGE_CONFIG = Symbol('OTA_FORGE_CONFIG');

/** The hawkBit settings when OTA Forge runs in hawkBit mode, else null. */
export function hawkbitConfigOf(config: OtaForgeConfig): HawkbitConfig | null {
  if (!config.HAWKBIT_URL || !config.HAWKBIT_USER || !config.HAWKBIT_PASSWORD) return null;
  return {
    HAWKBIT_URL: config.HAWKBIT_URL,
    HAWKBIT_TENANT: config.HAWKBIT_TENANT,
    HAWKBIT_USER: config.HAWKBIT_USER,
    HAWKBIT_PASSWORD: config.HAWKBIT_PASSWORD,
    HAWKBIT_TIMEOUT_MS: config.HAWKBIT_TIMEOUT_MS,
  };
}

/** Artifacts of each app in its own data folder, beside its PGlite data (`.data/<app>/artifacts`). */
export function withArtifactsDirDefault(
  env: Record<string, string | undefined>,
  app: string,
): Record<string, string | undefined> {
  return env['ARTIFACTS_DIR'] ? env : { ...env, ARTIFACTS_DIR: `.data/${app}/artifacts` };
}

/** HH:MM:SS → seconds. */
export function sleepSeconds(sleep: string): number {
  const match = HHMMSS.exec(sleep);
  if (!match) throw new Error(`not HH:MM:SS: ${sleep}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Seconds → HH:MM:SS (hours may exceed 24, as hawkBit allows). */
export function formatSleep(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
