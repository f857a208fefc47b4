import { randomUUID, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import { LicenseAuthority } from '../pki/license-authority.js';
import { WebhookFanout } from '../webhooks/webhook-fanout.js';
import type { License, LicenseType } from './domain/license.js';
import { LedgerRepository } from './ledger.repository.js';
import { LicensesRepository } from './licenses.repository.js';

export interface IssueLicense {
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  softwareVersion: string | null;
  type: LicenseType;
  policyLicenseType: string | null;
  trigger: string;
  expiresAt: Date | null;
  /** The cause, unique per license: a replay of the same cause returns the license already issued. */
  sourceKey: string;
  actor: string;
  subjectPublicKey?: KeyObject;
  details?: Record<string, unknown>;
}

/**
 * The one place a license comes into being, inside the caller's transaction: certificate and
 * JWT, the license row, its ledger entry, the `license.issued` event and the partners' webhook
 * deliveries all commit together, or none does.
 */
@Injectable()
export class LicenseIssuer {
  constructor(
    @Inject(LicenseAuthority) private readonly authority: LicenseAuthority,
    @Inject(LicensesRepository) private readonly licenses: LicensesRepository,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(WebhookFanout) private readonly webhooks: WebhookFanout,
  ) {}

  async issue(tx: Tx, spec: IssueLicense): Promise<{ license: License; created: boolean }> {
    const existing = await this.licenses.findBySourceKey(tx, spec.sourceKey);
    if (existing) return { license: existing, created: false };
    const id = randomUUID();
    const issuedAt = new Date();
    const credentials = await this.authority.issue({
      licenseId: id,
      accountId: spec.accountId,
      deviceId: spec.deviceId,
      softwareId: spec.softwareId,
      softwareVersion: spec.softwareVersion,
      licenseType: spec.type,
      issuedAt,
      expiresAt: spec.expiresAt,
      subjectPublicKey: spec.subjectPublicKey,
    });
    const result = await this.licenses.insertOnce(tx, {
      id,
      serialNumber: credentials.serialNumber,
      accountId: spec.accountId,
      deviceId: spec.deviceId,
      softwareId: spec.softwareId,
      softwareVersion: spec.softwareVersion,
      type: spec.type,
      policyLicenseType: spec.policyLicenseType,
      trigger: spec.trigger,
      certificatePem: credentials.certificatePem,
      token: credentials.token,
      issuedAt,
      expiresAt: spec.expiresAt,
      sourceKey: spec.sourceKey,
    });
    if (!result.created) return result;
    const license = result.license;
    await this.ledger.append(tx, {
      operation: 'ISSUED',
      licenseId: license.id,
      accountId: license.accountId,
      deviceId: license.deviceId,
      softwareId: license.softwareId,
      licenseType: license.type,
      actor: spec.actor,
      details: {
        trigger: license.trigger,
        serialNumber: license.serialNumber,
        softwareVersion: license.softwareVersion,
        policyLicenseType: license.policyLicenseType,
        expiresAt: license.expiresAt?.toISOString() ?? null,
        ...spec.details,
      },
    });
    await this.outbox.append(
      tx,
      'license.issued',
      {
        licenseId: license.id,
        deviceId: license.deviceId,
        softwareId: license.softwareId,
        licenseType: license.type,
        expiresAt: license.expiresAt?.toISOString() ?? null,
      },
      { accountId: license.accountId, deviceId: license.deviceId },
    );
    await this.webhooks.enqueue(tx, {
      accountId: license.accountId,
      eventType: 'license.issued',
      eventId: `license.issued:${license.id}`,
      data: licenseNotice(license),
    });
    return result;
  }

  /** Revokes an ACTIVE license (by an admin or by policy); ledger, event and webhooks in the same transaction. */
  async revoke(tx: Tx, license: License, reason: string, actor: string): Promise<void> {
    await this.licenses.markRevoked(tx, license.id, reason, new Date());
    await this.ledger.append(tx, {
      operation: 'REVOKED',
      licenseId: license.id,
      accountId: license.accountId,
      deviceId: license.deviceId,
      softwareId: license.softwareId,
      licenseType: license.type,
      actor,
      details: { reason },
    });
    await this.outbox.append(
      tx,
      'license.revoked',
      { licenseId: license.id, reason },
      { accountId: license.accountId, deviceId: license.deviceId },
    );
    await this.webhooks.enqueue(tx, {
      accountId: license.accountId,
      eventType: 'license.revoked',
      eventId: `license.revoked:${license.id}`,
      data: { ...licenseNotice(license), reason },
    });
  }

  /** A TRIAL replaced by the OFFICIAL license its approved upgrade issued. */
  async supersede(tx: Tx, license: License, by: License, actor: string, upgradeRequestId: string): Promise<void> {
    await this.licenses.markSuperseded(tx, license.id, by.id);
    await this.ledger.append(tx, {
      operation: 'SUPERSEDED',
      licenseId: license.id,
      upgradeRequestId,
      accountId: license.accountId,
      deviceId: license.deviceId,
      softwareId: license.softwareId,
      licenseType: license.type,
      actor,
      details: { supersededBy: by.id },
    });
  }
}

/** What partners are told about a license (never the certificate or token themselves). */
export function licenseNotice(license: License): Record<string, unknown> {
  return {
    licenseId: license.id,
    accountId: license.accountId,
    deviceId: license.deviceId,
    softwareId: license.softwareId,
    softwareVersion: license.softwareVersion,
    licenseType: license.type,
    serialNumber: license.serialNumber,
    issuedAt: license.issuedAt.toISOString(),
    expiresAt: license.expiresAt?.toISOString() ?? null,
  };
}
