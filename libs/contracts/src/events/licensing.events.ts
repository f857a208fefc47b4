import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const licenseTypeSchema = z.enum(['TRIAL', 'OFFICIAL']);

export const licenseIssued = defineEvent(
  'license.issued',
  1,
  z.object({
    licenseId: z.string().min(1),
    deviceId: z.string().min(1).nullable(),
    softwareId: z.string().min(1),
    licenseType: licenseTypeSchema,
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
  }),
);

export const licenseRevoked = defineEvent(
  'license.revoked',
  1,
  z.object({ licenseId: z.string().min(1), reason: z.string().max(500) }),
);

export const licenseUpgradeRequested = defineEvent(
  'license_upgrade.requested',
  1,
  z.object({
    requestId: z.string().min(1),
    licenseId: z.string().min(1),
    deviceId: z.string().min(1).nullable(),
    softwareId: z.string().min(1),
  }),
);

export const licenseUpgradeDecided = defineEvent(
  'license_upgrade.decided',
  1,
  z.object({
    requestId: z.string().min(1),
    decision: z.enum(['APPROVE', 'REFUSE']),
    reason: z.string().max(500).nullable(),
    decidedBy: z.string().min(1),
  }),
);
