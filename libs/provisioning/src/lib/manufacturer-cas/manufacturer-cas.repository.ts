import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService, type Prisma } from '@flexgalaxy/db';
import { ManufacturerCaExistsError } from './manufacturer-cas.errors.js';

export interface ManufacturerCa {
  id: string;
  accountId: string;
  manufacturer: string;
  subject: string;
  fingerprint: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  createdAt: Date;
}

type Row = Prisma.ManufacturerCaGetPayload<object>;
const toCa = (row: Row): ManufacturerCa => ({
  id: row.id,
  accountId: row.accountId,
  manufacturer: row.manufacturer,
  subject: row.subject,
  fingerprint: row.fingerprint,
  certificatePem: row.certificatePem,
  notBefore: row.notBefore,
  notAfter: row.notAfter,
  revokedAt: row.revokedAt,
  revokedReason: row.revokedReason,
  createdAt: row.createdAt,
});

/** Who may see CAs: their own account's, or all (platform admins). */
export type CaScope = { kind: 'all' } | { kind: 'account'; accountId: string };
const scoped = (scope: CaScope): Prisma.ManufacturerCaWhereInput =>
  scope.kind === 'all' ? {} : { accountId: scope.accountId };

/** The only door to `provisioning.manufacturer_cas`. */
@Injectable()
export class ManufacturerCasRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insert(ca: Omit<ManufacturerCa, 'revokedAt' | 'revokedReason' | 'createdAt'>): Promise<ManufacturerCa> {
    try {
      return toCa(await this.prisma.manufacturerCa.create({ data: ca }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ManufacturerCaExistsError(ca.fingerprint);
      throw error;
    }
  }

  /** Another account's CA for this manufacturer name, if any (case-insensitive). */
  async findManufacturerOwnedElsewhere(manufacturer: string, accountId: string): Promise<ManufacturerCa | null> {
    const row = await this.prisma.manufacturerCa.findFirst({
      where: { manufacturer: { equals: manufacturer, mode: 'insensitive' }, accountId: { not: accountId } },
    });
    return row ? toCa(row) : null;
  }

  /** CAs whose subject is a device certificate's issuer (indexed); revoked ones included, to say so. */
  async findBySubject(subject: string): Promise<ManufacturerCa[]> {
    return (await this.prisma.manufacturerCa.findMany({ where: { subject }, take: 20 })).map(toCa);
  }

  async findVisible(scope: CaScope, id: string): Promise<ManufacturerCa | null> {
    const row = await this.prisma.manufacturerCa.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toCa(row) : null;
  }

  async listVisible(scope: CaScope): Promise<ManufacturerCa[]> {
    return (
      await this.prisma.manufacturerCa.findMany({ where: scoped(scope), orderBy: { createdAt: 'asc' }, take: 500 })
    ).map(toCa);
  }

  async markRevoked(id: string, reason: string): Promise<ManufacturerCa> {
    const row = await this.prisma.manufacturerCa.update({
      where: { id },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return toCa(row);
  }
}
