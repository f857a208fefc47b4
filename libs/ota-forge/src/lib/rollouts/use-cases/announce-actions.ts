import type { Tx } from '@flexgalaxy/db';
import type { OutboxWriter } from '@flexgalaxy/events';
import type { CreatedAction } from '../domain/action.js';

/** ota.action.created for each new action, in one outbox statement. */
export async function announceCreated(outbox: OutboxWriter, tx: Tx, actions: CreatedAction[]): Promise<void> {
  await outbox.appendMany(
    tx,
    'ota.action.created',
    actions.map((action) => ({
      payload: {
        actionId: String(action.id),
        deviceId: action.targetId,
        distributionSetId: String(action.distributionSetId),
        policyId: action.policyId,
        listingId: action.listingId,
        softwareVersion: action.softwareVersion,
      },
      scope: { accountId: action.accountId, deviceId: action.targetId },
    })),
  );
}
