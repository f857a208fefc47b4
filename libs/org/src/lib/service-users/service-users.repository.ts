import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma } from '@flexgalaxy/db';
import { pageOf, type CountedPage, type PageRequest } from '@flexgalaxy/service-kit';
import type { ServiceUser } from './domain/service-user.js';

type ServiceUserRow = Prisma.ServiceUserGetPayload<object>;

function toServiceUser(row: ServiceUserRow): ServiceUser {
  return {
    clientId: row.clientId,
    accountId: row.accountId,
    description: row.description,
    permissions: row.permissions,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    secretRotatedAt: row.secretRotatedAt,
  };
}

/**
 * The only door to `org.service_users`. Every method takes the account the caller was allowed
 * to act on (checked against the visibility rule by the service) and never looks outside it.
 */
@Injectable()
export class ServiceUsersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insert(
    accountId: string,
    user: Omit<ServiceUser, 'accountId' | 'createdAt' | 'secretRotatedAt'>,
  ): Promise<ServiceUser> {
    const row = await this.prisma.serviceUser.create({
      data: {
        clientId: user.clientId,
        accountId,
        description: user.description,
        permissions: user.permissions,
        createdBy: user.createdBy,
      },
    });
    return toServiceUser(row);
  }

  async findInAccount(accountId: string, clientId: string): Promise<ServiceUser | null> {
    const row = await this.prisma.serviceUser.findFirst({ where: { accountId, clientId } });
    return row ? toServiceUser(row) : null;
  }

  async listInAccount(accountId: string, page: PageRequest): Promise<CountedPage<ServiceUser>> {
    const where: Prisma.ServiceUserWhereInput = { accountId };
    const [rows, total] = await Promise.all([
      this.prisma.serviceUser.findMany({
        where: page.after === null ? where : { accountId, clientId: { gt: page.after } },
        orderBy: { clientId: 'asc' },
        take: page.limit + 1,
      }),
      this.prisma.serviceUser.count({ where }),
    ]);
    return pageOf(rows.map(toServiceUser), page.limit, (user) => user.clientId, total);
  }

  async markRotated(accountId: string, clientId: string, at: Date): Promise<ServiceUser> {
    // updateMany keeps the account in the WHERE clause; a row of another account is never touched.
    await this.prisma.serviceUser.updateMany({ where: { accountId, clientId }, data: { secretRotatedAt: at } });
    const row = await this.prisma.serviceUser.findFirstOrThrow({ where: { accountId, clientId } });
    return toServiceUser(row);
  }

  async deleteInAccount(accountId: string, clientId: string): Promise<void> {
    await this.prisma.serviceUser.deleteMany({ where: { accountId, clientId } });
  }
}
