import { Inject, Injectable } from '@nestjs/common';
import { startOfWindow } from '../core/days.js';
import type { Entitlement } from '../core/entitlement.js';
import { ListingsRepository } from '../issuance/listings.repository.js';
import { ReportsRepository, type TypeCount } from './reports.repository.js';
import { InvalidReportWindowError, SoftwareReportNotFoundError } from './reports.errors.js';

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 366;

export type ByType = Record<'TRIAL' | 'OFFICIAL', number>;

function byType(counts: TypeCount[]): ByType {
  const result: ByType = { TRIAL: 0, OFFICIAL: 0 };
  for (const { type, count } of counts) if (type === 'TRIAL' || type === 'OFFICIAL') result[type] += count;
  return result;
}

const total = (counts: ByType) => counts.TRIAL + counts.OFFICIAL;

/** License reporting (seed 000 §4) and BoardingPass analytics (seed 001): aggregates only. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
  ) {}

  /**
   * The contract the Marketplace developer portal reads: active licenses of one listing, by type,
   * and issued/revoked per day. For the listing's developer account and platform admins.
   */
  async software(entitlement: Entitlement, softwareId: string, days: number) {
    if (entitlement.kind !== 'admin') {
      const listing = await this.listings.find(softwareId);
      if (!listing || listing.developerAccountId !== entitlement.principal.accountId) {
        throw new SoftwareReportNotFoundError(softwareId);
      }
    }
    const active = byType(await this.reports.activeBySoftware(softwareId));
    const trend = await this.reports.trend({ softwareId }, startOfWindow(new Date(), days));
    return { softwareId, active: total(active), byType: active, trend };
  }

  /** One account's licenses: active by software and type, issued/revoked per day. */
  async account(accountId: string, days: number) {
    const cells = await this.reports.activeByAccount(accountId);
    const bySoftware = new Map<string, TypeCount[]>();
    for (const cell of cells) bySoftware.set(cell.softwareId, [...(bySoftware.get(cell.softwareId) ?? []), cell]);
    const allTypes = byType(cells);
    return {
      accountId,
      active: total(allTypes),
      byType: allTypes,
      bySoftware: [...bySoftware.entries()].map(([softwareId, counts]) => {
        const types = byType(counts);
        return { softwareId, active: total(types), byType: types };
      }),
      trend: await this.reports.trend({ accountId }, startOfWindow(new Date(), days)),
    };
  }

  /** BoardingPass: issuance by type and account over time. */
  async issuance(fromText?: string, toText?: string) {
    const { from, to } = window(fromText, toText);
    const cells = await this.reports.issuance(from, to);
    const totals: ByType = { TRIAL: 0, OFFICIAL: 0 };
    const accounts = new Map<string, ByType>();
    const days = new Map<string, ByType>();
    for (const cell of cells) {
      if (cell.type !== 'TRIAL' && cell.type !== 'OFFICIAL') continue;
      totals[cell.type] += cell.issued;
      const account = accounts.get(cell.accountId) ?? { TRIAL: 0, OFFICIAL: 0 };
      account[cell.type] += cell.issued;
      accounts.set(cell.accountId, account);
      const day = days.get(cell.day) ?? { TRIAL: 0, OFFICIAL: 0 };
      day[cell.type] += cell.issued;
      days.set(cell.day, day);
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      issued: totals,
      active: byType(await this.reports.activeAll()),
      byAccount: [...accounts.entries()].map(([accountId, counts]) => ({ accountId, ...counts })),
      trend: [...days.entries()].map(([day, counts]) => ({ day, ...counts })),
    };
  }

  /** BoardingPass: enrollment statistics across accounts (device.provisioned counts). */
  async enrollments(fromText?: string, toText?: string) {
    const { from, to } = window(fromText, toText);
    const cells = await this.reports.enrollments(from, to);
    const accounts = new Map<string, number>();
    const days = new Map<string, number>();
    for (const cell of cells) {
      accounts.set(cell.accountId, (accounts.get(cell.accountId) ?? 0) + cell.enrolled);
      days.set(cell.day, (days.get(cell.day) ?? 0) + cell.enrolled);
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      enrolled: cells.reduce((sum, cell) => sum + cell.enrolled, 0),
      byAccount: [...accounts.entries()].map(([accountId, enrolled]) => ({ accountId, enrolled })),
      trend: [...days.entries()].map(([day, enrolled]) => ({ day, enrolled })),
    };
  }
}

/** [from, to) in whole UTC days; the last 30 days by default, at most a year. */
function window(fromText?: string, toText?: string): { from: Date; to: Date } {
  const to = toText ? new Date(`${toText}T00:00:00Z`) : new Date(startOfWindow(new Date(), 1).getTime() + DAY_MS);
  const from = fromText ? new Date(`${fromText}T00:00:00Z`) : new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new InvalidReportWindowError('from must be before to');
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new InvalidReportWindowError(`a window spans at most ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to };
}
