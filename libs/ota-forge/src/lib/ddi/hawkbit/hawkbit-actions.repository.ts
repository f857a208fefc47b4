import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import type { ActionType } from '../../rollouts/domain/policy.js';

/** What assigning one of our actions in hawkBit needs. */
export interface HawkbitAssignment {
  /** hawkBit's id of the action's distribution set; null if the set predates hawkBit mode. */
  distributionSetHawkbitId: number | null;
  actionType: ActionType;
}

/** Our actions' link to hawkBit's: written at assignment, read back when feedback names hawkBit's id. */
@Injectable()
export class HawkbitActionsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async assignmentOf(tx: Tx, actionId: number): Promise<HawkbitAssignment> {
    const action = await tx.otaAction.findUniqueOrThrow({
      where: { id: BigInt(actionId) },
      select: { policy: { select: { actionType: true } }, distributionSet: { select: { hawkbitId: true } } },
    });
    const hawkbitId = action.distributionSet.hawkbitId;
    return {
      distributionSetHawkbitId: hawkbitId === null ? null : Number(hawkbitId),
      actionType: action.policy.actionType,
    };
  }

  async recordHawkbitAction(tx: Tx, actionId: number, hawkbitActionId: number): Promise<void> {
    await tx.otaAction.update({ where: { id: BigInt(actionId) }, data: { hawkbitActionId: BigInt(hawkbitActionId) } });
  }

  /** hawkBit's id of our action, if it was assigned there. */
  async hawkbitActionIdOf(actionId: number): Promise<number | null> {
    const row = await this.prisma.otaAction.findUnique({
      where: { id: BigInt(actionId) },
      select: { hawkbitActionId: true },
    });
    const hawkbitActionId = row?.hawkbitActionId ?? null;
    return hawkbitActionId === null ? null : Number(hawkbitActionId);
  }

  /** Our action behind hawkBit's action id, if it is this target's (unique index). */
  async actionIdOf(controllerId: string, hawkbitActionId: number): Promise<number | null> {
    const row = await this.prisma.otaAction.findFirst({
      where: { hawkbitActionId: BigInt(hawkbitActionId), targetId: controllerId },
      select: { id: true },
    });
    return row ? Number(row.id) : null;
  }
}
