import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { LicenseScope } from '../licenses/licenses.repository.js';
import type { UpgradeRequest, UpgradeRoute, UpgradeStatus } from './domain/upgrade-request.js';

type UpgradeRow = Prisma.TrustMintUpgradeRequestGetPayload<object>;

function toRequest(row: UpgradeRow): UpgradeRequest {
  return {
    id: row.id,
    licenseId: row.licenseId,
    accountId: row.accountId,
    deviceId: row.deviceId,
    softwareId: row.softwareId,
    status: row.status,
    route: row.route,
    requestedBy: row.requestedBy,
    note: row.note,
    reason: row.reason,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    issuedLicenseId: row.issuedLicenseId,
    createdAt: row.createdAt,
  };
}

function scoped(scope: LicenseScope): Prisma.TrustMintUpgradeRequestWhereInput {
  return scope.kind === 'all' ? {} : { accountId: scope.accountId };
}

export interface UpgradeFilter {
  status?: UpgradeStatus;
  route?: UpgradeRoute;
  accountId?: string;
}

/** The only door to `trust_mint.upgrade_requests`. */
@Injectable()
export class UpgradesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insert(
    tx: Tx,
    request: Omit<UpgradeRequest, 'status' | 'reason' | 'decidedBy' | 'decidedAt' | 'issuedLicenseId' | 'createdAt'>,
  ) {
    return toRequest(await tx.trustMintUpgradeRequest.create({ data: request }));
  }

  async findPendingFor(tx: Tx, licenseId: string): Promise<UpgradeRequest | null> {
    const row = await tx.trustMintUpgradeRequest.findFirst({ where: { licenseId, status: 'PENDING' } });
    return row ? toRequest(row) : null;
  }

  /** The request, row-locked until the transaction ends: a decision is applied exactly once. */
  async lock(tx: Tx, scope: LicenseScope, id: string): Promise<UpgradeRequest | null> {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "trust_mint"."upgrade_requests" WHERE "id" = ${id} FOR UPDATE`;
    if (!locked) return null;
    const row = await tx.trustMintUpgradeRequest.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toRequest(row) : null;
  }

  async findVisible(scope: LicenseScope, id: string): Promise<UpgradeRequest | null> {
    const row = await this.prisma.trustMintUpgradeRequest.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toRequest(row) : null;
  }

  async listVisible(scope: LicenseScope, filter: UpgradeFilter, page: PageRequest): Promise<Page<UpgradeRequest>> {
    const rows = await this.prisma.trustMintUpgradeRequest.findMany({
      where: {
        AND: [
          scoped(scope),
          {
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.route ? { route: filter.route } : {}),
            ...(filter.accountId ? { accountId: filter.accountId } : {}),
          },
          ...(page.after ? [{ id: { gt: page.after } }] : []),
        ],
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toRequest), page.limit, (request) => request.id);
  }

  async markDecided(
    tx: Tx,
    id: string,
    decision: {
      status: 'APPROVED' | 'REFUSED';
      reason: string | null;
      decidedBy: string;
      issuedLicenseId: string | null;
    },
  ): Promise<UpgradeRequest> {
    const row = await tx.trustMintUpgradeRequest.update({
      where: { id },
      data: { ...decision, decidedAt: new Date() },
    });
    return toRequest(row);
  }
}
