import { TrustMintPermission } from '../../core/trust-mint.permissions.js';

/** Event types a partner may subscribe to, and the permissions (any one) subscribing needs. */
export const WEBHOOK_EVENT_PERMISSIONS = {
  'device.provisioned': [TrustMintPermission.eventsRead],
  'license.issued': [
    TrustMintPermission.eventsRead,
    TrustMintPermission.licensesRead,
    TrustMintPermission.certificatesRead,
  ],
  'license.revoked': [
    TrustMintPermission.eventsRead,
    TrustMintPermission.licensesRead,
    TrustMintPermission.certificatesRead,
  ],
  // seed 001: subscribing to upgrade requests is taking over the approval: a License Manager's act.
  'license_upgrade.requested': [TrustMintPermission.approvalsWrite],
  'license_upgrade.decided': [TrustMintPermission.approvalsRead, TrustMintPermission.approvalsWrite],
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_PERMISSIONS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_PERMISSIONS) as [WebhookEventType, ...WebhookEventType[]];
