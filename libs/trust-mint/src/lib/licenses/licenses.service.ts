import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { TrustMintTransactions } from '../core/transaction-runner.js';
import type { Entitlement } from '../core/entitlement.js';
import type { Page, PageRequest } from '@flexgalaxy/service-kit';
import { DeviceIdentity } from '../devices/device-identity.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import type { TrustMintDevice } from '../devices/domain/device.js';
import { bestOf, verdictOf, type License, type LicenseVerdict } from './domain/license.js';
import { LedgerRepository, type LedgerEntry } from './ledger.repository.js';
import { LicenseIssuer } from './license-issuer.js';
import {
  LicenseNotFoundError,
  LicenseNotRevocableError,
  NoLicenseForDeviceError,
  TrustMintDeviceNotFoundError,
} from './licenses.errors.js';
import { LicensesRepository, type LicenseFilter, type LicenseScope } from './licenses.repository.js';

export interface LicenseStatusView {
  license: License;
  verdict: LicenseVerdict;
  checkedAt: Date;
}

/** Reading, validating and revoking licenses. Accounts see their own; platform admins all. */
@Injectable()
export class LicensesService {
  constructor(
    @Inject(LicensesRepository) private readonly licenses: LicensesRepository,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(LicenseIssuer) private readonly issuer: LicenseIssuer,
    @Inject(TrustMintTransactions) private readonly transactions: TrustMintTransactions,
    @Inject(DeviceIdentity) private readonly identity: DeviceIdentity,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
  ) {}

  list(entitlement: Entitlement, filter: LicenseFilter, page: PageRequest): Promise<Page<License>> {
    const scope = scopeOf(entitlement.principal);
    // An account's accountId filter cannot widen its scope; it only narrows an admin's.
    return this.licenses.listVisible(scope, scope.kind === 'all' ? filter : { ...filter, accountId: undefined }, page);
  }

  async get(entitlement: Entitlement, licenseId: string): Promise<License> {
    const license = await this.licenses.findVisible(scopeOf(entitlement.principal), licenseId);
    if (!license) throw new LicenseNotFoundError(licenseId);
    return license;
  }

  async history(entitlement: Entitlement, licenseId: string): Promise<LedgerEntry[]> {
    await this.get(entitlement, licenseId);
    return this.ledger.historyOf(licenseId);
  }

  /** By a platform admin (BoardingPass); revoking a revoked license again changes nothing. */
  async revoke(principal: Principal, licenseId: string, reason: string): Promise<License> {
    await this.transactions.run(async (tx) => {
      const license = await this.licenses.lock(tx, scopeOf(principal), licenseId);
      if (!license) throw new LicenseNotFoundError(licenseId);
      if (license.status === 'REVOKED') return;
      if (license.status === 'SUPERSEDED') throw new LicenseNotRevocableError(licenseId, 'superseded');
      await this.issuer.revoke(tx, license, reason, principal.subject);
    });
    return this.get({ principal, kind: 'admin', effective: principal.permissions }, licenseId);
  }

  /** The device-facing check: valid / revoked / expired, for the device itself or its owner. */
  async status(entitlement: Entitlement, licenseId: string): Promise<LicenseStatusView> {
    const now = new Date();
    if (entitlement.kind === 'device') {
      const device = await this.requireCallingDevice(entitlement.principal, licenseId);
      const license = await this.licenses.findVisible({ kind: 'account', accountId: device.accountId }, licenseId);
      if (!license || license.deviceId !== device.id) throw new LicenseNotFoundError(licenseId);
      return { license, verdict: verdictOf(license, now), checkedAt: now };
    }
    const license = await this.get(entitlement, licenseId);
    return { license, verdict: verdictOf(license, now), checkedAt: now };
  }

  /** The best license a device holds for a software (valid OFFICIAL, then TRIAL), with its verdict. */
  async statusForDevice(entitlement: Entitlement, deviceId: string, softwareId: string): Promise<LicenseStatusView> {
    const now = new Date();
    let device: TrustMintDevice | null;
    if (entitlement.kind === 'device') {
      device = await this.identity.deviceOf(entitlement.principal);
      if (!device || device.id !== deviceId) throw new TrustMintDeviceNotFoundError(deviceId);
    } else if (entitlement.kind === 'admin') {
      device = await this.devices.find(deviceId);
    } else {
      device = await this.devices.findOwned(entitlement.principal.accountId, deviceId);
    }
    if (!device) throw new TrustMintDeviceNotFoundError(deviceId);
    const owned = (await this.licenses.listForDevice(deviceId, softwareId)).filter(
      (license) => entitlement.kind === 'admin' || license.accountId === device.accountId,
    );
    const license = bestOf(owned, now);
    if (!license) throw new NoLicenseForDeviceError(deviceId, softwareId);
    return { license, verdict: verdictOf(license, now), checkedAt: now };
  }

  private async requireCallingDevice(principal: Principal, licenseId: string): Promise<TrustMintDevice> {
    const device = await this.identity.deviceOf(principal);
    if (!device) throw new LicenseNotFoundError(licenseId);
    return device;
  }
}

export function scopeOf(principal: Principal): LicenseScope {
  return principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'account', accountId: principal.accountId };
}
