import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@flexgalaxy/db';

/** Who owns a target, for scoping the owner's reads. */
@Injectable()
export class TargetsReadRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async ownerOf(controllerId: string): Promise<string | null> {
    const row = await this.prisma.otaTarget.findUnique({ where: { controllerId }, select: { accountId: true } });
    return row?.accountId ?? null;
  }
}
