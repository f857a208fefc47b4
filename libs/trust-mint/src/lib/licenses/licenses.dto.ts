import { z } from 'zod';
import { pageQueryShape, pageResponseSchema, type Page } from '@flexgalaxy/service-kit';
import type { License, LicenseVerdict } from './domain/license.js';
import type { LedgerEntry } from './ledger.repository.js';
import type { LicenseStatusView } from './licenses.service.js';

const licenseTypeSchema = z.enum(['TRIAL', 'OFFICIAL']);
const licenseStatusSchema = z.enum(['ACTIVE', 'REVOKED', 'SUPERSEDED']);
const validitySchema = z.enum(['valid', 'revoked', 'expired']);
const idText = z.string().min(1).max(200);

export const licenseIdParamsSchema = z.object({ id: z.uuid() });
export type LicenseIdParams = z.output<typeof licenseIdParamsSchema>;

export const deviceLicenseParamsSchema = z.object({ deviceId: idText });
export type DeviceLicenseParams = z.output<typeof deviceLicenseParamsSchema>;

export const deviceLicenseQuerySchema = z.object({ softwareId: idText });
export type DeviceLicenseQuery = z.output<typeof deviceLicenseQuerySchema>;

export const listLicensesQuerySchema = z.object({
  ...pageQueryShape,
  accountId: idText.optional(),
  deviceId: idText.optional(),
  softwareId: idText.optional(),
  type: licenseTypeSchema.optional(),
  status: licenseStatusSchema.optional(),
});
export type ListLicensesQuery = z.output<typeof listLicensesQuerySchema>;

export const revokeLicenseBodySchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'RevokeLicenseRequest' });
export type RevokeLicenseBody = z.output<typeof revokeLicenseBodySchema>;

const licenseSummaryShape = {
  id: z.string(),
  serialNumber: z.string(),
  accountId: z.string(),
  deviceId: z.string().nullable(),
  softwareId: z.string(),
  softwareVersion: z.string().nullable(),
  type: licenseTypeSchema,
  policyLicenseType: z.string().nullable(),
  trigger: z.string(),
  status: licenseStatusSchema,
  /** What a device checking it now is told. */
  validity: validitySchema,
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
  supersededById: z.string().nullable(),
};

export const licenseSummarySchema = z.object(licenseSummaryShape).meta({ id: 'LicenseSummary' });
export type LicenseSummary = z.output<typeof licenseSummarySchema>;

export const licenseResponseSchema = z
  .object({ ...licenseSummaryShape, certificatePem: z.string(), token: z.string() })
  .meta({ id: 'License' });
export type LicenseResponse = z.output<typeof licenseResponseSchema>;

export const licensePageResponseSchema = pageResponseSchema(licenseSummarySchema, 'LicensePage');
export type LicensePageResponse = z.output<typeof licensePageResponseSchema>;

export const licenseStatusResponseSchema = z
  .object({
    licenseId: z.string(),
    deviceId: z.string().nullable(),
    softwareId: z.string(),
    type: licenseTypeSchema,
    status: validitySchema,
    reason: z.string().nullable(),
    replacedBy: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    checkedAt: z.iso.datetime(),
  })
  .meta({ id: 'LicenseStatus' });
export type LicenseStatusResponse = z.output<typeof licenseStatusResponseSchema>;

export const ledgerEntryResponseSchema = z
  .object({
    id: z.string(),
    operation: z.string(),
    licenseId: z.string().nullable(),
    upgradeRequestId: z.string().nullable(),
    accountId: z.string(),
    deviceId: z.string().nullable(),
    softwareId: z.string(),
    licenseType: licenseTypeSchema,
    actor: z.string(),
    details: z.record(z.string(), z.unknown()),
    occurredAt: z.iso.datetime(),
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntryResponse = z.output<typeof ledgerEntryResponseSchema>;

export const licenseHistoryResponseSchema = z
  .object({ items: z.array(ledgerEntryResponseSchema) })
  .meta({ id: 'LicenseHistory' });

function validity(license: License): LicenseVerdict['validity'] {
  if (license.status !== 'ACTIVE') return 'revoked';
  return license.expiresAt && license.expiresAt.getTime() <= Date.now() ? 'expired' : 'valid';
}

export function toLicenseSummary(license: License): LicenseSummary {
  return {
    id: license.id,
    serialNumber: license.serialNumber,
    accountId: license.accountId,
    deviceId: license.deviceId,
    softwareId: license.softwareId,
    softwareVersion: license.softwareVersion,
    type: license.type,
    policyLicenseType: license.policyLicenseType,
    trigger: license.trigger,
    status: license.status,
    validity: validity(license),
    issuedAt: license.issuedAt.toISOString(),
    expiresAt: license.expiresAt?.toISOString() ?? null,
    revokedAt: license.revokedAt?.toISOString() ?? null,
    revokedReason: license.revokedReason,
    supersededById: license.supersededById,
  };
}

export function toLicenseResponse(license: License): LicenseResponse {
  return { ...toLicenseSummary(license), certificatePem: license.certificatePem, token: license.token };
}

export function toLicensePageResponse(page: Page<License>): LicensePageResponse {
  return { items: page.items.map(toLicenseSummary), nextCursor: page.nextCursor };
}

export function toLicenseStatusResponse(view: LicenseStatusView): LicenseStatusResponse {
  return {
    licenseId: view.license.id,
    deviceId: view.license.deviceId,
    softwareId: view.license.softwareId,
    type: view.license.type,
    status: view.verdict.validity,
    reason: view.verdict.reason,
    replacedBy: view.verdict.replacedBy,
    expiresAt: view.license.expiresAt?.toISOString() ?? null,
    checkedAt: view.checkedAt.toISOString(),
  };
}

export function toLedgerEntryResponse(entry: LedgerEntry): LedgerEntryResponse {
  return {
    id: entry.id,
    operation: entry.operation,
    licenseId: entry.licenseId,
    upgradeRequestId: entry.upgradeRequestId,
    accountId: entry.accountId,
    deviceId: entry.deviceId,
    softwareId: entry.softwareId,
    licenseType: entry.licenseType,
    actor: entry.actor,
    details: entry.details,
    occurredAt: entry.occurredAt.toISOString(),
  };
}
