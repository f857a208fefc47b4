import { z } from 'zod';

/** OTA Forge's target as its API answers it (never the token). */
export const otaForgeTargetSchema = z.object({
  controllerId: z.string().min(1),
  accountId: z.string().min(1),
  enabled: z.boolean(),
  attributes: z.object({
    type: z.string(),
    model: z.string().nullable(),
    revision: z.string().nullable(),
    manufacturer: z.string(),
    serial: z.string(),
    firmwareVersion: z.string().nullable(),
    capabilities: z.array(z.string()),
    timezone: z.string().nullable(),
  }),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});

export type OtaForgeTarget = z.output<typeof otaForgeTargetSchema>;

/** The platform's error body (`{ code, message }`), when OTA Forge gives one. */
export const otaForgeErrorSchema = z.object({ code: z.string().optional(), message: z.string() });
