import { Inject, Injectable } from '@nestjs/common';
import { lockKey, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { License, LicenseStatus, LicenseType } from './domain/license.js';

type LicenseRow = Prisma.TrustMintLicenseGetPayload<object>;

function toLicense(row: LicenseRow): License {
  return {
    id: row.id,
    serialNumber: row.serialNumber,
    accountId: row.accountId,
    deviceId: row.deviceId,
    softwareId: row.softwareId,
    softwareVersion: row.softwareVersion,
    type: row.type,
    policyLicenseType: row.policyLicenseType,
    trigger: row.trigger,
    status: row.status,
    certificatePem: row.certificatePem,
    token: row.token,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    supersededById: row.supersededById,
  };
}

/** Who may read a license: the account it was issued to (and its device), or everyone (platform admins). */
export type LicenseScope = { kind: 'all' } | { kind: 'account'; accountId: string };

function scoped(scope: LicenseScope): Prisma.TrustMintLicenseWhereInput {
  return scope.kind === 'all' ? {} : { accountId: scope.accountId };
}

export interface LicenseFilter {
  accountId?: string;
  deviceId?: string;
  softwareId?: string;
  type?: LicenseType;
  status?: LicenseStatus;
}

export interface NewLicense extends Omit<License, 'status' | 'revokedAt' | 'revokedReason' | 'supersededById'> {
  sourceKey: string;
}

/** The only door to `trust_mint.licenses`. */
@Injectable()
export class LicensesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Inserts the license unless one was already issued for the same cause (`sourceKey`), without
   * aborting the transaction on the conflict; returns the license that stands and whether it is new.
   */
  async insertOnce(tx: Tx, license: NewLicense): Promise<{ license: License; created: boolean }> {
    const { count } = await tx.trustMintLicense.createMany({ data: [license], skipDuplicates: true });
    const row = await tx.trustMintLicense.findUnique({ where: { sourceKey: license.sourceKey } });
    if (!row) throw new Error(`license for ${license.sourceKey} neither inserted nor found`);
    return { license: toLicense(row), created: count === 1 };
  }

  async findBySourceKey(tx: Tx, sourceKey: string): Promise<License | null> {
    const row = await tx.trustMintLicense.findUnique({ where: { sourceKey } });
    return row ? toLicense(row) : null;
  }

  async findVisible(scope: LicenseScope, id: string): Promise<License | null> {
    const row = await this.prisma.trustMintLicense.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toLicense(row) : null;
  }

  async listVisible(scope: LicenseScope, filter: LicenseFilter, page: PageRequest): Promise<Page<License>> {
    const rows = await this.prisma.trustMintLicense.findMany({
      where: {
        AND: [
          scoped(scope),
          {
            ...(filter.accountId ? { accountId: filter.accountId } : {}),
            ...(filter.deviceId ? { deviceId: filter.deviceId } : {}),
            ...(filter.softwareId ? { softwareId: filter.softwareId } : {}),
            ...(filter.type ? { type: filter.type } : {}),
            ...(filter.status ? { status: filter.status } : {}),
          },
          ...(page.after ? [{ id: { gt: page.after } }] : []),
        ],
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toLicense), page.limit, (license) => license.id);
  }

  /** The license, row-locked until the transaction ends (revocation and upgrade serialise on it). */
  async lock(tx: Tx, scope: LicenseScope, id: string): Promise<License | null> {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "trust_mint"."licenses" WHERE "id" = ${id} FOR UPDATE`;
    if (!locked) return null;
    const row = await tx.trustMintLicense.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toLicense(row) : null;
  }

  /** One device's licenses for one software (every status). */
  async listForDevice(deviceId: string, softwareId: string, tx?: Tx): Promise<License[]> {
    const rows = await (tx ?? this.prisma).trustMintLicense.findMany({ where: { deviceId, softwareId } });
    return rows.map(toLicense);
  }

  /** A device's licenses that still entitle (status ACTIVE), inside the caller's transaction. */
  async listActiveOfDevice(tx: Tx, deviceId: string): Promise<License[]> {
    const rows = await tx.trustMintLicense.findMany({ where: { deviceId, status: 'ACTIVE' } });
    return rows.map(toLicense);
  }

  async markRevoked(tx: Tx, id: string, reason: string, at: Date): Promise<void> {
    await tx.trustMintLicense.update({
      where: { id },
      data: { status: 'REVOKED', revokedAt: at, revokedReason: reason },
    });
  }

  async markSuperseded(tx: Tx, id: string, supersededById: string): Promise<void> {
    await tx.trustMintLicense.update({ where: { id }, data: { status: 'SUPERSEDED', supersededById } });
  }

  /** A transferred device's licenses follow it to the new owner's account. */
  async moveToAccount(tx: Tx, ids: string[], accountId: string): Promise<void> {
    if (ids.length) await tx.trustMintLicense.updateMany({ where: { id: { in: ids } }, data: { accountId } });
  }

  /**
   * Serialises issuance decisions for one device and software across processes, so two triggers
   * arriving together cannot both see "no license yet".
   */
  async lockEntitlement(tx: Tx, deviceId: string, softwareId: string): Promise<void> {
    await lockKey(tx, `trust-mint.entitlement:${deviceId}:${softwareId}`);
  }
}
