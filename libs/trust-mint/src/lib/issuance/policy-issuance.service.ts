import { randomUUID, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { TrustMintTransactions } from '../core/transaction-runner.js';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { verdictOf, type License } from '../licenses/domain/license.js';
import { LicenseIssuer } from '../licenses/license-issuer.js';
import { LicensesRepository } from '../licenses/licenses.repository.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { planIssuance, type FactKind } from './domain/issuance-policy.js';
import type { PublishedListing } from './domain/listing.js';
import { FactsRepository } from './facts.repository.js';
import { SoftwareNotFoundError, TriggerMismatchError } from './issuance.errors.js';
import { ListingsRepository } from './listings.repository.js';

const DAY_MS = 86_400_000;

export interface ReportedFact {
  id: string;
  kind: FactKind;
  deviceId: string;
  accountId: string;
  listingId: string;
  softwareVersion: string | null;
  passed?: boolean | null;
  details?: Record<string, unknown> | null;
  occurredAt: Date;
}

export interface DeviceReport {
  deviceId: string;
  accountId: string;
  softwareId: string;
  softwareVersion: string | null;
}

/**
 * seed 000 §4: TrustMint consults the listing's license issuance policy to decide when to issue.
 * Facts (installed, downloaded, validated, activated) are recorded as they arrive, in any order
 * and even before the listing's publication reaches TrustMint; each new fact or publication
 * re-evaluates the policy for that device, under a lock on the device and software.
 */
@Injectable()
export class PolicyIssuanceService {
  constructor(
    @Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig,
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
    @Inject(FactsRepository) private readonly facts: FactsRepository,
    @Inject(LicensesRepository) private readonly licenses: LicensesRepository,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(LicenseIssuer) private readonly issuer: LicenseIssuer,
    @Inject(TrustMintTransactions) private readonly transactions: TrustMintTransactions,
  ) {}

  async onListingPublished(tx: Tx, event: PlatformEvent<'listing.published'>): Promise<void> {
    const { payload } = event;
    await this.listings.record(tx, {
      id: payload.listingId,
      developerAccountId: payload.developerAccountId,
      name: payload.name,
      latestVersion: payload.version,
      category: payload.category,
      versionScoping: payload.versionScoping,
      softwareType: payload.licensePolicy.softwareType,
      policyLicenseType: payload.licensePolicy.licenseType,
      trigger: payload.licensePolicy.trigger,
      publishedAt: new Date(event.occurredAt),
    });
    for (const waiting of await this.facts.devicesWaitingOn(tx, payload.listingId)) {
      await this.evaluate(tx, payload.listingId, waiting.deviceId);
    }
  }

  /** An OTA status change: installed and downloaded are facts a policy may use. */
  async onOtaStatusChanged(tx: Tx, event: PlatformEvent<'ota.action.status_changed'>): Promise<void> {
    const { payload } = event;
    if (!payload.listingId) return;
    const kind: FactKind | null =
      payload.status === 'installed' ? 'INSTALLED' : payload.status === 'downloaded' ? 'DOWNLOADED' : null;
    if (!kind) return;
    const device = await this.devices.find(payload.deviceId, tx);
    await this.recordAndEvaluate(tx, {
      id: event.id,
      kind,
      deviceId: payload.deviceId,
      accountId: device?.accountId ?? event.accountId,
      listingId: payload.listingId,
      softwareVersion: payload.softwareVersion,
      details: { actionId: payload.actionId, distributionSetId: payload.distributionSetId },
      occurredAt: new Date(event.occurredAt),
    });
  }

  /**
   * On explicit activation (SaaS applet, seed 000 §4): the device calls after its first run.
   * An activation while a license still entitles returns that license (idempotent).
   */
  async activate(report: DeviceReport, subjectPublicKey?: KeyObject): Promise<{ license: License; created: boolean }> {
    const listing = await this.requireListing(report.softwareId, 'on_activation');
    return this.transactions.run(async (tx) => {
      await this.licenses.lockEntitlement(tx, report.deviceId, listing.id);
      const current = await this.entitling(tx, report.deviceId, listing.id);
      if (current[0]) return { license: current[0], created: false };
      const issued = await this.recordAndEvaluate(
        tx,
        {
          id: randomUUID(),
          kind: 'ACTIVATED',
          deviceId: report.deviceId,
          accountId: report.accountId,
          listingId: listing.id,
          softwareVersion: report.softwareVersion,
          occurredAt: new Date(),
        },
        subjectPublicKey,
      );
      const license = issued[0] ?? (await this.entitling(tx, report.deviceId, listing.id))[0];
      if (!license) throw new Error('activation issued no license');
      return { license, created: issued.length > 0 };
    });
  }

  /** On install + model validation (ML model, seed 000 §4): the device reports its self-test. */
  async recordValidation(
    report: DeviceReport & { softwareVersion: string },
    passed: boolean,
    details: Record<string, unknown> | null,
  ): Promise<{ validationId: string; license: License | null; outcome: 'licensed' | 'awaiting_install' | 'failed' }> {
    const listing = await this.requireListing(report.softwareId, 'on_install_validated');
    return this.transactions.run(async (tx) => {
      const validationId = randomUUID();
      const issued = await this.recordAndEvaluate(tx, {
        id: validationId,
        kind: 'VALIDATED',
        deviceId: report.deviceId,
        accountId: report.accountId,
        listingId: listing.id,
        softwareVersion: report.softwareVersion,
        passed,
        details,
        occurredAt: new Date(),
      });
      if (!passed) return { validationId, license: null, outcome: 'failed' };
      const license =
        issued[0] ??
        (await this.entitling(tx, report.deviceId, listing.id)).find(
          (candidate) => candidate.softwareVersion === report.softwareVersion,
        ) ??
        null;
      return { validationId, license, outcome: license ? 'licensed' : 'awaiting_install' };
    });
  }

  private async requireListing(softwareId: string, trigger: string): Promise<PublishedListing> {
    const listing = await this.listings.find(softwareId);
    if (!listing) throw new SoftwareNotFoundError(softwareId);
    if (listing.trigger !== trigger) throw new TriggerMismatchError(softwareId, trigger, listing.trigger);
    return listing;
  }

  private async recordAndEvaluate(tx: Tx, fact: ReportedFact, subjectPublicKey?: KeyObject): Promise<License[]> {
    const recorded = await this.facts.record(tx, {
      ...fact,
      passed: fact.passed ?? null,
      details: fact.details ?? null,
    });
    if (!recorded) return [];
    return this.evaluate(tx, fact.listingId, fact.deviceId, subjectPublicKey);
  }

  /** Applies the listing's policy to a device's unused facts; returns the licenses it issued. */
  private async evaluate(
    tx: Tx,
    listingId: string,
    deviceId: string,
    subjectPublicKey?: KeyObject,
  ): Promise<License[]> {
    await this.licenses.lockEntitlement(tx, deviceId, listingId);
    const listing = await this.listings.find(listingId, tx);
    // Not published as far as TrustMint knows: the facts wait for listing.published.
    if (!listing) return [];
    const unconsumed = await this.facts.unconsumed(tx, listingId, deviceId);
    if (unconsumed.length === 0) return [];
    const entitling = await this.entitling(tx, deviceId, listingId);
    const plan = planIssuance(listing.trigger, unconsumed, {
      any: entitling.length > 0,
      versions: new Set(entitling.map((license) => license.softwareVersion)),
    });
    for (const consumed of plan.consume) await this.facts.consume(tx, consumed.factIds, entitling[0]?.id ?? null);
    const device = await this.devices.find(deviceId, tx);
    const issued: License[] = [];
    for (const planned of plan.issue) {
      const { license } = await this.issuer.issue(tx, {
        accountId: device?.accountId ?? unconsumed.at(-1)!.accountId!,
        deviceId,
        softwareId: listing.id,
        softwareVersion: planned.softwareVersion,
        type: 'OFFICIAL',
        policyLicenseType: listing.policyLicenseType,
        trigger: listing.trigger,
        expiresAt: this.config.TRUST_MINT_OFFICIAL_DAYS
          ? new Date(Date.now() + this.config.TRUST_MINT_OFFICIAL_DAYS * DAY_MS)
          : null,
        sourceKey: `fact:${planned.factIds[0]}`,
        actor: `system:policy:${listing.trigger}`,
        subjectPublicKey,
        details: { facts: planned.factIds, softwareType: listing.softwareType },
      });
      await this.facts.consume(tx, planned.factIds, license.id);
      issued.push(license);
    }
    return issued;
  }

  private async entitling(tx: Tx, deviceId: string, listingId: string): Promise<License[]> {
    const now = new Date();
    return (await this.licenses.listForDevice(deviceId, listingId, tx))
      .filter((license) => verdictOf(license, now).validity === 'valid')
      .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
  }
}
