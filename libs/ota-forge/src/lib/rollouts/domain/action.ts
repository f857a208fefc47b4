import type { ActionState } from './feedback.js';

/** An action as the owner's API lists it. */
export interface ActionView {
  id: number;
  deviceId: string;
  policyId: string;
  distributionSetId: number;
  listingId: string | null;
  softwareName: string;
  softwareVersion: string;
  status: ActionState;
  attempt: number;
  wave: number;
  deferredReason: string | null;
  notBefore: Date | null;
  createdAt: Date;
  updatedAt: Date;
  history: { status: string; messages: string[]; code: number | null; at: Date }[];
}

/** What a created action announces (ota.action.created). */
export interface CreatedAction {
  id: number;
  targetId: string;
  accountId: string;
  policyId: string;
  distributionSetId: number;
  listingId: string | null;
  softwareVersion: string;
}
