import { z } from 'zod';
import { pageQueryShape, pageResponseSchema, type Page } from '@flexgalaxy/service-kit';
import type { UpgradeRequest } from './domain/upgrade-request.js';

const statusSchema = z.enum(['PENDING', 'APPROVED', 'REFUSED']);
const routeSchema = z.enum(['WEBHOOK', 'AUTO_APPROVE', 'ADMIN_REVIEW']);
const reason = z.string().trim().min(1).max(500);

export const upgradeIdParamsSchema = z.object({ id: z.uuid() });
export type UpgradeIdParams = z.output<typeof upgradeIdParamsSchema>;

export const createUpgradeBodySchema = z
  .object({ licenseId: z.uuid(), note: z.string().trim().min(1).max(500).optional() })
  .strict()
  .meta({ id: 'UpgradeRequestCreate' });
export type CreateUpgradeBody = z.output<typeof createUpgradeBodySchema>;

export const decisionBodySchema = z
  .object({ decision: z.enum(['APPROVE', 'REFUSE']), reason: reason.optional() })
  .strict()
  .refine((body) => body.decision === 'APPROVE' || body.reason !== undefined, {
    path: ['reason'],
    message: 'a refusal needs a reason',
  })
  .meta({ id: 'UpgradeDecision' });
export type DecisionBody = z.output<typeof decisionBodySchema>;

export const approveBodySchema = z.object({ reason: reason.optional() }).strict().meta({ id: 'BoardingPassApproval' });
export type ApproveBody = z.output<typeof approveBodySchema>;

export const refuseBodySchema = z.object({ reason }).strict().meta({ id: 'BoardingPassRefusal' });
export type RefuseBody = z.output<typeof refuseBodySchema>;

export const listUpgradesQuerySchema = z.object({
  ...pageQueryShape,
  status: statusSchema.optional(),
  route: routeSchema.optional(),
  accountId: z.string().min(1).max(200).optional(),
});
export type ListUpgradesQuery = z.output<typeof listUpgradesQuerySchema>;

export const upgradeResponseSchema = z
  .object({
    id: z.string(),
    licenseId: z.string(),
    accountId: z.string(),
    deviceId: z.string().nullable(),
    softwareId: z.string(),
    status: statusSchema,
    route: routeSchema,
    requestedBy: z.string(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    issuedLicenseId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'UpgradeRequest' });
export type UpgradeResponse = z.output<typeof upgradeResponseSchema>;

export const upgradePageResponseSchema = pageResponseSchema(upgradeResponseSchema, 'UpgradeRequestPage');
export type UpgradePageResponse = z.output<typeof upgradePageResponseSchema>;

export function toUpgradeResponse(request: UpgradeRequest): UpgradeResponse {
  return {
    id: request.id,
    licenseId: request.licenseId,
    accountId: request.accountId,
    deviceId: request.deviceId,
    softwareId: request.softwareId,
    status: request.status,
    route: request.route,
    requestedBy: request.requestedBy,
    note: request.note,
    reason: request.reason,
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    issuedLicenseId: request.issuedLicenseId,
    createdAt: request.createdAt.toISOString(),
  };
}

export function toUpgradePageResponse(page: Page<UpgradeRequest>): UpgradePageResponse {
  return { items: page.items.map(toUpgradeResponse), nextCursor: page.nextCursor };
}
