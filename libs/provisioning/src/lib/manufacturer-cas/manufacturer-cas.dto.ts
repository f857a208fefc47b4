import { z } from 'zod';
import type { ManufacturerCa } from './manufacturer-cas.repository.js';

const pem = z.string().min(1).max(20_000);

export const registerManufacturerCaBodySchema = z
  .object({
    certificatePem: pem.describe('The sub-CA certificate (PEM), signed by the FlexGalaxy root CA'),
    /** Platform admins register for an account; others register for their own account. */
    accountId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .meta({ id: 'RegisterManufacturerCaRequest' });
export type RegisterManufacturerCaBody = z.output<typeof registerManufacturerCaBodySchema>;

export const signManufacturerCsrBodySchema = z
  .object({
    csrPem: pem.describe('A PKCS#10 request for the sub-CA (subject O = the manufacturer)'),
    validDays: z.number().int().min(1).max(3650).default(1825),
    accountId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .meta({ id: 'SignManufacturerCsrRequest' });
export type SignManufacturerCsrBody = z.output<typeof signManufacturerCsrBodySchema>;

export const revokeManufacturerCaBodySchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'RevokeManufacturerCaRequest' });
export type RevokeManufacturerCaBody = z.output<typeof revokeManufacturerCaBodySchema>;

export const manufacturerCaIdParamsSchema = z.object({ id: z.uuid() });
export type ManufacturerCaIdParams = z.output<typeof manufacturerCaIdParamsSchema>;

export const manufacturerCaResponseSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    manufacturer: z.string(),
    subject: z.string(),
    fingerprint256: z.string(),
    certificatePem: z.string(),
    notBefore: z.iso.datetime(),
    notAfter: z.iso.datetime(),
    revoked: z.boolean(),
    revokedAt: z.iso.datetime().nullable(),
    revokedReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ManufacturerCa' });
export type ManufacturerCaResponse = z.output<typeof manufacturerCaResponseSchema>;

export const manufacturerCaListResponseSchema = z
  .object({ items: z.array(manufacturerCaResponseSchema) })
  .meta({ id: 'ManufacturerCaList' });
export type ManufacturerCaListResponse = z.output<typeof manufacturerCaListResponseSchema>;

export function toManufacturerCaResponse(ca: ManufacturerCa): ManufacturerCaResponse {
  return {
    id: ca.id,
    accountId: ca.accountId,
    manufacturer: ca.manufacturer,
    subject: ca.subject,
    fingerprint256: ca.fingerprint,
    certificatePem: ca.certificatePem,
    notBefore: ca.notBefore.toISOString(),
    notAfter: ca.notAfter.toISOString(),
    revoked: ca.revokedAt !== null,
    revokedAt: ca.revokedAt?.toISOString() ?? null,
    revokedReason: ca.revokedReason,
    createdAt: ca.createdAt.toISOString(),
  };
}
