import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClaimTokensRepository, type StoredClaimToken } from '../claim-tokens/claim-tokens.repository.js';
import { AccountDirectory } from '../accounts/account-directory.js';
import { DeviceCertificateVerifier } from '../manufacturer-cas/device-certificate.verifier.js';
import { sameManufacturer } from '../pki/domain/subject-dn.js';
import type { PresentedCertificate } from '../pki/client-certificate.js';
import { sha256Hex } from '../shared/secrets.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { IdentityRejectedError, type IdentityRejection } from './devices.errors.js';
import { DevicesRepository } from './devices.repository.js';
import { DEFAULT_TIMEZONE, type IdentityMethod } from './domain/device.js';
import type { EnrollRequest } from './enrollment.types.js';

/** Where rejected attempts nobody can be placed for are kept: platform administrators see them. */
export const PLATFORM_ACCOUNT_ID = 'platform';

/** Who the device proved to be and which account it enrolls into (seed 002 "Tenant Resolution"). */
export interface ProvenIdentity {
  method: IdentityMethod;
  /** The account the device enrolls into: the token's account, else the manufacturer CA's. */
  accountId: string;
  manufacturer: string;
  /** The manufacturer CA's account, when the device presented a valid certificate. */
  caAccountId: string | null;
  token: StoredClaimToken | null;
  /** The certificate's SHA-256 fingerprint: part of an idempotent request's fingerprint. */
  certificateFingerprint: string | null;
}

export const UNKNOWN_MANUFACTURER = 'unknown';

/**
 * Checks an enrollment's identity proof (seed 002 "Device Identity Verification"): an X.509 client
 * certificate chained to a registered manufacturer CA (factory, assembly, robots in the field), a
 * claim token (PDAs, tablets; overrides the account for a robot being transferred), or a
 * pre-shared token (sensors). A refused proof is recorded as a Rejected history entry before the
 * caller gets the reason.
 */
@Injectable()
export class IdentityProofs {
  constructor(
    @Inject(DeviceCertificateVerifier) private readonly verifier: DeviceCertificateVerifier,
    @Inject(ClaimTokensRepository) private readonly tokens: ClaimTokensRepository,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
  ) {}

  async prove(request: EnrollRequest, presented: PresentedCertificate): Promise<ProvenIdentity> {
    const presentedToken = request.claimToken ?? request.preSharedToken;
    let token: StoredClaimToken | null = null;
    if (presentedToken !== undefined) {
      token = await this.tokens.findByHash(sha256Hex(presentedToken));
      const kind = request.claimToken !== undefined ? 'claim' : 'pre_shared';
      if (!token) return this.reject(request, 'unknown_token', 'the token is not one this platform issued', null);
      if (token.kind !== kind) {
        return this.reject(
          request,
          'token_kind_mismatch',
          `a ${token.kind === 'claim' ? 'claim' : 'pre-shared'} token was presented as ${kind === 'claim' ? 'claim_token' : 'pre_shared_token'}`,
          token.accountId,
        );
      }
    }
    if (request.scenario === 'field' && presented.kind === 'none') {
      // Field enrollment without mTLS: the token alone is the proof (PDAs, tablets, sensors).
      if (!token) {
        return this.reject(
          request,
          'no_identity_proof',
          'a field enrollment needs a claim token, a pre-shared token or a client certificate',
          null,
        );
      }
      return {
        method: token.kind === 'claim' ? 'claim_token' : 'pre_shared_token',
        accountId: token.accountId,
        manufacturer: request.manufacturer ?? UNKNOWN_MANUFACTURER,
        caAccountId: null,
        token,
        certificateFingerprint: null,
      };
    }
    switch (presented.kind) {
      case 'none':
        return this.reject(request, 'no_client_certificate', 'this enrollment needs a client certificate (mTLS)', null);
      case 'untrusted_forwarder':
        return this.reject(
          request,
          'untrusted_certificate_forwarder',
          'the client certificate header came from an address that is not a trusted proxy',
          null,
        );
      case 'malformed':
        return this.reject(request, 'malformed_certificate', 'the client certificate cannot be parsed', null);
      case 'certificate':
        break;
    }
    const verdict = await this.verifier.verify(presented.certificate);
    if (!verdict.ok) {
      return this.reject(
        request,
        verdict.reason,
        verdict.message,
        verdict.ca?.accountId ?? null,
        verdict.ca?.manufacturer,
      );
    }
    const owner = verdict.ca.accountId;
    if (request.manufacturer !== undefined && !sameManufacturer(request.manufacturer, verdict.manufacturer)) {
      return this.reject(
        request,
        'manufacturer_mismatch',
        `the certificate is for manufacturer ${verdict.manufacturer}, the request says ${request.manufacturer}`,
        owner,
        verdict.manufacturer,
      );
    }
    const acceptable = request.scenario === 'assembly' ? [request.serial, request.parentSerial] : [request.serial];
    if (!acceptable.includes(verdict.serial)) {
      return this.reject(
        request,
        'serial_mismatch',
        `the certificate is for serial ${verdict.serial}, the request says ${acceptable.filter(Boolean).join(' / ')}`,
        owner,
        verdict.manufacturer,
      );
    }
    return {
      method: token ? 'mtls+claim_token' : 'mtls',
      accountId: token?.accountId ?? owner,
      manufacturer: verdict.manufacturer,
      caAccountId: owner,
      token,
      certificateFingerprint: presented.certificate.fingerprint256,
    };
  }

  /**
   * Records a refused enrollment and throws its reason. Against the live device the proof claimed
   * to be (same owner), the entry joins its history and its state is kept; otherwise a Rejected
   * record is created (seed 002: Unmanaged → Rejected), owned by the account the attempt could be
   * placed in (the manufacturer CA's or the token's), else by the platform.
   */
  async reject(
    request: EnrollRequest,
    reason: IdentityRejection,
    message: string,
    ownerAccountId: string | null,
    manufacturer: string | undefined = request.manufacturer,
  ): Promise<never> {
    const deviceId = await this.recordRejection(request, reason, message, ownerAccountId, manufacturer);
    throw new IdentityRejectedError(reason, message, deviceId);
  }

  /** @returns the id of the device record holding the Rejected entry. */
  async recordRejection(
    request: EnrollRequest,
    reason: string,
    message: string,
    ownerAccountId: string | null,
    manufacturer: string | undefined,
  ): Promise<string> {
    const owner = ownerAccountId ?? PLATFORM_ACCOUNT_ID;
    const details = { reason, scenario: request.scenario, serial: request.serial };
    const existing = manufacturer ? await this.devices.findLiveBySerial(manufacturer, request.serial) : null;
    if (existing && existing.accountId === owner) {
      await this.transactions.run((tx) =>
        this.devices.appendHistory(tx, existing.id, {
          action: 'REJECTED',
          fromState: existing.state,
          toState: existing.state,
          accountId: owner,
          actor: 'device',
          reason: message,
          details,
        }),
      );
      return existing.id;
    }
    const id = randomUUID();
    const ownerPath = owner === PLATFORM_ACCOUNT_ID ? null : ((await this.accounts.find(owner))?.path ?? null);
    await this.transactions.run(async (tx) => {
      await this.devices.insert(tx, {
        id,
        accountId: owner,
        ownerPath,
        manufacturer: manufacturer ?? UNKNOWN_MANUFACTURER,
        serial: request.serial,
        controllerSerial: request.parentSerial ?? null,
        type: request.deviceType,
        model: request.model ?? null,
        revision: request.revision ?? null,
        firmwareVersion: request.firmwareVersion ?? null,
        capabilities: request.capabilities ?? [],
        timezone: request.timezone ?? DEFAULT_TIMEZONE,
        priority: null,
        state: 'REJECTED',
        suspendedFrom: null,
        identityMethod: request.claimToken ? 'claim_token' : request.preSharedToken ? 'pre_shared_token' : 'mtls',
        m2mClientId: null,
        m2mPermissions: [],
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await this.devices.appendHistory(tx, id, {
        action: 'REJECTED',
        fromState: 'UNMANAGED',
        toState: 'REJECTED',
        accountId: owner,
        actor: 'device',
        reason: message,
        details,
      });
    });
    return id;
  }
}
