import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import { LedgerRepository } from '../licenses/ledger.repository.js';
import { LicenseIssuer } from '../licenses/license-issuer.js';
import { LicensesRepository } from '../licenses/licenses.repository.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { WebhookFanout } from '../webhooks/webhook-fanout.js';
import { DevicesRepository } from './devices.repository.js';

const DAY_MS = 86_400_000;

/** What device.* events do to TrustMint: the device record, TRIAL issuance, license follow-up. */
@Injectable()
export class EnrollmentService {
  constructor(
    @Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(LicenseIssuer) private readonly issuer: LicenseIssuer,
    @Inject(LicensesRepository) private readonly licenses: LicensesRepository,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(WebhookFanout) private readonly webhooks: WebhookFanout,
  ) {}

  /**
   * seed 001 "Enrollment flow": TrustMint creates the device record, auto-issues a TRIAL
   * license (X.509 + JWT), records it in the ledger and sends the device.provisioned webhook.
   */
  async onProvisioned(tx: Tx, event: PlatformEvent<'device.provisioned'>): Promise<void> {
    const occurredAt = new Date(event.occurredAt);
    const { payload } = event;
    const device = await this.devices.record(tx, {
      deviceId: payload.deviceId,
      accountId: payload.accountId,
      attributes: payload.attributes,
      state: payload.state,
      occurredAt,
    });
    await this.devices.markEnrolled(tx, payload.deviceId, payload.accountId, occurredAt);
    // The current owner: a transfer processed before this (older) event already moved the device.
    const { license } = await this.issuer.issue(tx, {
      accountId: device.accountId,
      deviceId: payload.deviceId,
      softwareId: this.config.TRUST_MINT_TRIAL_SOFTWARE_ID,
      softwareVersion: null,
      type: 'TRIAL',
      policyLicenseType: null,
      trigger: 'enrollment',
      expiresAt: new Date(occurredAt.getTime() + this.config.TRUST_MINT_TRIAL_DAYS * DAY_MS),
      sourceKey: `trial:${payload.deviceId}`,
      actor: 'system:enrollment',
      details: { scenario: payload.scenario, eventId: event.id },
    });
    await this.webhooks.enqueue(tx, {
      accountId: payload.accountId,
      eventType: 'device.provisioned',
      eventId: event.id,
      data: {
        deviceId: payload.deviceId,
        accountId: payload.accountId,
        scenario: payload.scenario,
        state: payload.state,
        attributes: payload.attributes,
        trialLicenseId: license.id,
        occurredAt: event.occurredAt,
      },
    });
  }

  /** A transferred device's licenses follow it to the new owner (ledger TRANSFERRED). */
  async onTransferred(tx: Tx, event: PlatformEvent<'device.transferred'>): Promise<void> {
    const { payload } = event;
    const before = await this.devices.find(payload.deviceId, tx);
    const device = await this.devices.record(tx, {
      deviceId: payload.deviceId,
      accountId: payload.toAccountId,
      attributes: payload.attributes,
      state: payload.state,
      occurredAt: new Date(event.occurredAt),
    });
    if (device.accountId !== payload.toAccountId || before?.accountId === payload.toAccountId) return;
    const moving = (await this.licenses.listActiveOfDevice(tx, payload.deviceId)).filter(
      (license) => license.accountId !== payload.toAccountId,
    );
    await this.licenses.moveToAccount(
      tx,
      moving.map((license) => license.id),
      payload.toAccountId,
    );
    for (const license of moving) {
      await this.ledger.append(tx, {
        operation: 'TRANSFERRED',
        licenseId: license.id,
        accountId: payload.toAccountId,
        deviceId: license.deviceId,
        softwareId: license.softwareId,
        licenseType: license.type,
        actor: 'system:device-transferred',
        details: { fromAccountId: license.accountId, toAccountId: payload.toAccountId, eventId: event.id },
      });
    }
  }

  /** Revocation by policy: a decommissioned device's licenses stop entitling. */
  async onDecommissioned(tx: Tx, event: PlatformEvent<'device.decommissioned'>): Promise<void> {
    await this.devices.setState(tx, event.payload.deviceId, 'DECOMMISSIONED', new Date(event.occurredAt));
    for (const license of await this.licenses.listActiveOfDevice(tx, event.payload.deviceId)) {
      await this.issuer.revoke(tx, license, 'device decommissioned', 'system:device-decommissioned');
    }
  }

  async onStateChanged(tx: Tx, deviceId: string, state: string, occurredAt: string): Promise<void> {
    await this.devices.setState(tx, deviceId, state, new Date(occurredAt));
  }
}
