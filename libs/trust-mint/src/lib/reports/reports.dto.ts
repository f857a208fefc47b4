import { z } from 'zod';
import { pageQueryShape } from '@flexgalaxy/service-kit';

const day = z.iso.date();
const byType = z.object({ TRIAL: z.number().int(), OFFICIAL: z.number().int() });
const trend = z.array(z.object({ day: z.string(), issued: z.number().int(), revoked: z.number().int() }));
const days = z.coerce.number().int().min(1).max(366).default(30);

export const softwareReportQuerySchema = z.object({ softwareId: z.string().min(1).max(200), days });
export type SoftwareReportQuery = z.output<typeof softwareReportQuerySchema>;

export const softwareReportResponseSchema = z
  .object({ softwareId: z.string(), active: z.number().int(), byType, trend })
  .meta({ id: 'SoftwareLicenseReport' });
export type SoftwareReportResponse = z.output<typeof softwareReportResponseSchema>;

export const accountReportQuerySchema = z.object({ days, accountId: z.string().min(1).max(200).optional() });
export type AccountReportQuery = z.output<typeof accountReportQuerySchema>;

export const accountReportResponseSchema = z
  .object({
    accountId: z.string(),
    active: z.number().int(),
    byType,
    bySoftware: z.array(z.object({ softwareId: z.string(), active: z.number().int(), byType })),
    trend,
  })
  .meta({ id: 'AccountLicenseReport' });
export type AccountReportResponse = z.output<typeof accountReportResponseSchema>;

export const windowQuerySchema = z.object({ from: day.optional(), to: day.optional() });
export type WindowQuery = z.output<typeof windowQuerySchema>;

export const issuanceAnalyticsResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    issued: byType,
    active: byType,
    byAccount: z.array(z.object({ accountId: z.string(), TRIAL: z.number().int(), OFFICIAL: z.number().int() })),
    trend: z.array(z.object({ day: z.string(), TRIAL: z.number().int(), OFFICIAL: z.number().int() })),
  })
  .meta({ id: 'IssuanceAnalytics' });

export const enrollmentAnalyticsResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    enrolled: z.number().int(),
    byAccount: z.array(z.object({ accountId: z.string(), enrolled: z.number().int() })),
    trend: z.array(z.object({ day: z.string(), enrolled: z.number().int() })),
  })
  .meta({ id: 'EnrollmentAnalytics' });

export const auditQuerySchema = z.object({
  ...pageQueryShape,
  accountId: z.string().min(1).max(200).optional(),
  licenseId: z.uuid().optional(),
  softwareId: z.string().min(1).max(200).optional(),
  operation: z
    .enum([
      'ISSUED',
      'REVOKED',
      'SUPERSEDED',
      'TRANSFERRED',
      'UPGRADE_REQUESTED',
      'UPGRADE_APPROVED',
      'UPGRADE_REFUSED',
    ])
    .optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;
