import { z } from 'zod';
import type { License } from '../licenses/domain/license.js';
import { licenseResponseSchema, toLicenseResponse } from '../licenses/licenses.dto.js';

const softwareId = z.string().min(1).max(200);
const version = z.string().min(1).max(64);
const deviceId = z.string().min(1).max(200);

export const activationBodySchema = z
  .object({
    /** The listing id (TrustMint's software id for listed software). */
    softwareId,
    softwareVersion: version.optional(),
    /** The device's own P-256 public key (SPKI PEM): the license certificate then certifies it. */
    publicKeyPem: z.string().min(1).max(4096).optional(),
    /** Platform admins only: the device they activate for (devices use their own token). */
    deviceId: deviceId.optional(),
  })
  .strict()
  .meta({ id: 'ActivationRequest' });
export type ActivationBody = z.output<typeof activationBodySchema>;

export const validationBodySchema = z
  .object({
    softwareId,
    softwareVersion: version,
    result: z.enum(['pass', 'fail']),
    details: z.record(z.string(), z.unknown()).optional(),
    deviceId: deviceId.optional(),
  })
  .strict()
  .meta({ id: 'ValidationReport' });
export type ValidationBody = z.output<typeof validationBodySchema>;

export const validationResponseSchema = z
  .object({
    validationId: z.string(),
    outcome: z.enum(['licensed', 'awaiting_install', 'failed']),
    license: licenseResponseSchema.nullable(),
  })
  .meta({ id: 'ValidationResult' });
export type ValidationResponse = z.output<typeof validationResponseSchema>;

export function toValidationResponse(result: {
  validationId: string;
  outcome: 'licensed' | 'awaiting_install' | 'failed';
  license: License | null;
}): ValidationResponse {
  return {
    validationId: result.validationId,
    outcome: result.outcome,
    license: result.license ? toLicenseResponse(result.license) : null,
  };
}
