export type UpgradeStatus = 'PENDING' | 'APPROVED' | 'REFUSED';
export type UpgradeRoute = 'WEBHOOK' | 'AUTO_APPROVE' | 'ADMIN_REVIEW';
export type UpgradeDecision = 'APPROVE' | 'REFUSE';

/** A TRIAL → OFFICIAL request (seed 001 ThingHub "request license upgrades"). */
export interface UpgradeRequest {
  id: string;
  licenseId: string;
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  status: UpgradeStatus;
  route: UpgradeRoute;
  requestedBy: string;
  note: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  issuedLicenseId: string | null;
  createdAt: Date;
}

/**
 * seed 001 "Approval Workflow Delegation": a partner subscribed to license_upgrade.requested
 * decides; without one the platform auto-approves by the software's triage category, or queues
 * the request for a platform admin in BoardingPass.
 */
export function routeFor(input: {
  partnerSubscribed: boolean;
  triageCategories: readonly string[];
  autoApproveCategories: readonly string[];
}): UpgradeRoute {
  if (input.partnerSubscribed) return 'WEBHOOK';
  const auto = new Set(input.autoApproveCategories);
  return input.triageCategories.some((category) => auto.has(category)) ? 'AUTO_APPROVE' : 'ADMIN_REVIEW';
}

/** What a decision on a request in `status` does: apply it, repeat it (idempotent), or conflict. */
export function decisionEffect(status: UpgradeStatus, decision: UpgradeDecision): 'apply' | 'repeat' | 'conflict' {
  if (status === 'PENDING') return 'apply';
  const decided: UpgradeDecision = status === 'APPROVED' ? 'APPROVE' : 'REFUSE';
  return decided === decision ? 'repeat' : 'conflict';
}
