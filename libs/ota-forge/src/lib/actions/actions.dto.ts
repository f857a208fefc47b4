import { z } from 'zod';
import type { SoftwareReport } from '../rollouts/actions.repository.js';
import type { ActionView } from '../rollouts/domain/action.js';
import { controllerIdSchema } from '../shared/ids.js';

export const listActionsQuerySchema = z.object({ deviceId: controllerIdSchema });
export type ListActionsQuery = z.output<typeof listActionsQuerySchema>;

const actionSchema = z
  .object({
    id: z.number().int(),
    deviceId: z.string(),
    policyId: z.string(),
    distributionSetId: z.number().int(),
    listingId: z.string().nullable(),
    softwareName: z.string(),
    softwareVersion: z.string(),
    status: z.string(),
    attempt: z.number().int(),
    wave: z.number().int(),
    deferredReason: z.string().nullable(),
    notBefore: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z.array(
      z.object({
        status: z.string(),
        messages: z.array(z.string()),
        code: z.number().int().nullable(),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'OtaAction' });

export const actionListResponseSchema = z.object({ items: z.array(actionSchema) }).meta({ id: 'OtaActions' });
export type ActionListResponse = z.output<typeof actionListResponseSchema>;

export function toActionListResponse(actions: ActionView[]): ActionListResponse {
  return {
    items: actions.map((action) => ({
      id: action.id,
      deviceId: action.deviceId,
      policyId: action.policyId,
      distributionSetId: action.distributionSetId,
      listingId: action.listingId,
      softwareName: action.softwareName,
      softwareVersion: action.softwareVersion,
      status: action.status,
      attempt: action.attempt,
      wave: action.wave,
      deferredReason: action.deferredReason,
      notBefore: action.notBefore?.toISOString() ?? null,
      createdAt: action.createdAt.toISOString(),
      updatedAt: action.updatedAt.toISOString(),
      history: action.history.map((entry) => ({
        status: entry.status,
        messages: entry.messages,
        code: entry.code,
        at: entry.at.toISOString(),
      })),
    })),
  };
}

export const softwareReportQuerySchema = z.object({
  listingId: z.string().min(1).max(128),
  version: z.string().min(1).max(64).optional(),
});
export type SoftwareReportQuery = z.output<typeof softwareReportQuerySchema>;

export const softwareReportResponseSchema = z
  .object({
    listingId: z.string(),
    version: z.string().nullable(),
    matched: z.number().int(),
    downloading: z.number().int(),
    installed: z.number().int(),
    failed: z.number().int(),
    trend: z.array(z.object({ day: z.string(), installed: z.number().int(), failed: z.number().int() })),
  })
  .meta({ id: 'OtaSoftwareReport' });
export type SoftwareReportResponse = z.output<typeof softwareReportResponseSchema>;

export function toSoftwareReportResponse(
  listingId: string,
  version: string | null,
  report: SoftwareReport,
): SoftwareReportResponse {
  return {
    listingId,
    version,
    matched: report.matched,
    downloading: report.downloading,
    installed: report.installed,
    failed: report.failed,
    trend: report.trend.map((day) => ({ day: day.day, installed: day.installed, failed: day.failed })),
  };
}
