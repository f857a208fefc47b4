import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccountDirectory } from '../../accounts/account-directory.js';
import {
  ClaimTokenDeviceTypeMismatchError,
  ClaimTokenExpiredError,
  ClaimTokenUsedError,
} from '../../claim-tokens/claim-tokens.errors.js';
import { ClaimTokensRepository, type StoredClaimToken } from '../../claim-tokens/claim-tokens.repository.js';
import { checkToken, issuesM2mClient } from '../../claim-tokens/domain/claim-token-rules.js';
import type { PresentedCertificate } from '../../pki/client-certificate.js';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../../provisioning.config.js';
import { OperationLocks } from '../../shared/operation-lock.repository.js';
import { Saga } from '../../shared/saga.js';
import { newToken } from '../../shared/secrets.js';
import { DeviceBackends } from '../backends/device-backends.js';
import { DeviceChanges, event } from '../device-changes.service.js';
import { DeviceReprovisioner } from '../device-reprovisioner.js';
import {
  DeviceAlreadyEnrolledError,
  DeviceNotFoundError,
  IdentityRejectedError,
  IllegalTransitionError,
} from '../devices.errors.js';
import { DevicesRepository } from '../devices.repository.js';
import {
  DEFAULT_TIMEZONE,
  eventAttributes,
  registryAttributes,
  targetAttributes,
  type ProvisionedDevice,
} from '../domain/device.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { IdentityProofs, type ProvenIdentity } from '../identity-proofs.js';
import type { EnrollmentResult, EnrollRequest } from '../enrollment.types.js';

/**
 * POST /provisioning/v1/enroll (seed 002 "Provisioning Scenarios"):
 * - factory: a controller proves itself with mTLS and is created under the manufacturer's account
 *   with MQTT + DDI credentials (no M2M client);
 * - assembly: the controller (found by `parent_serial`) is upgraded to the robot's profile, serial
 *   and capabilities, gets an M2M client, and full, fresh credentials;
 * - field: a claim token (PDAs, tablets: + M2M) or pre-shared token (sensors: MQTT + DDI) enrolls a
 *   new device into the token's account; a robot proving itself with mTLS is activated in its
 *   current account, or moved to the claim token's account; credentials are rotated either way.
 * Backend registration is a compensating transaction; the state change and its event commit together.
 */
@Injectable()
export class EnrollDeviceUseCase {
  constructor(
    @Inject(IdentityProofs) private readonly proofs: IdentityProofs,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(ClaimTokensRepository) private readonly tokens: ClaimTokensRepository,
    @Inject(DeviceBackends) private readonly backends: DeviceBackends,
    @Inject(DeviceChanges) private readonly changes: DeviceChanges,
    @Inject(DeviceReprovisioner) private readonly reprovisioner: DeviceReprovisioner,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(OperationLocks) private readonly locks: OperationLocks,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async execute(
    request: EnrollRequest,
    presented: PresentedCertificate,
    idempotencyKey?: string,
  ): Promise<EnrollmentResult> {
    const key = this.idempotency.validateKey(idempotencyKey);
    const identity = await this.proofs.prove(request, presented);
    return this.idempotency.run(
      identity.accountId,
      key,
      'enroll',
      { request, certificate: identity.certificateFingerprint },
      () => this.enroll(request, identity),
    );
  }

  private async enroll(request: EnrollRequest, identity: ProvenIdentity): Promise<EnrollmentResult> {
    if (identity.token) await this.checkToken(request, identity, identity.token);
    switch (request.scenario) {
      case 'factory':
        return this.withNewSerial(identity.manufacturer, request.serial, () =>
          this.createDevice(request, identity, 'FACTORY_PROVISIONED'),
        );
      case 'assembly':
        return this.assemble(request, identity);
      case 'field':
        return this.field(request, identity);
    }
  }

  private async checkToken(request: EnrollRequest, identity: ProvenIdentity, token: StoredClaimToken): Promise<void> {
    const check = checkToken(token, token.kind, request.deviceType, new Date());
    if (check.ok) return;
    switch (check.problem) {
      case 'already_used':
        throw new ClaimTokenUsedError();
      case 'expired': {
        const deviceId = await this.proofs.recordRejection(
          request,
          'token_expired',
          `the token expired at ${token.expiresAt.toISOString()}`,
          token.accountId,
          identity.manufacturer,
        );
        throw new ClaimTokenExpiredError(token.expiresAt, deviceId);
      }
      case 'device_type_mismatch':
        throw new ClaimTokenDeviceTypeMismatchError(token.deviceType, request.deviceType);
      case 'kind_mismatch':
        // IdentityProofs refuses (and records) this before; kept so the switch stays exhaustive.
        throw new IdentityRejectedError('token_kind_mismatch', 'the token was presented as the wrong kind', null);
    }
  }

  /** A new device: no live device may hold the serial; the serial is leased while backends change. */
  private withNewSerial<T>(manufacturer: string, serial: string, work: () => Promise<T>): Promise<T> {
    return this.locks.withLock(`serial:${manufacturer}:${serial}`, 'enrollment', async () => {
      const existing = await this.devices.findLiveBySerial(manufacturer, serial);
      if (existing) throw new DeviceAlreadyEnrolledError(manufacturer, serial);
      return work();
    });
  }

  private async assemble(request: EnrollRequest, identity: ProvenIdentity): Promise<EnrollmentResult> {
    const parentSerial = request.parentSerial ?? '';
    // Once assembled, the device carries the robot's serial; the controller's stays as controllerSerial.
    const controller =
      (await this.devices.findLiveBySerial(identity.manufacturer, parentSerial)) ??
      (await this.devices.findLiveByControllerSerial(identity.manufacturer, parentSerial));
    // Another maker's controller is not this caller's to see.
    if (!controller || controller.accountId !== identity.caAccountId) {
      throw new DeviceNotFoundError(request.parentSerial ?? '');
    }
    return this.locks.withLock(`device:${controller.id}`, 'assembly', async () => {
      const device = (await this.devices.findById(controller.id)) ?? controller;
      if (device.state !== 'FACTORY_PROVISIONED') throw new IllegalTransitionError(device.id, device.state, 'assemble');
      if (request.serial !== device.serial) {
        const taken = await this.devices.findLiveBySerial(identity.manufacturer, request.serial);
        if (taken) throw new DeviceAlreadyEnrolledError(identity.manufacturer, request.serial);
      }
      const result = await this.reprovisioner.apply({
        device,
        command: 'assemble',
        targetAccountId: device.accountId,
        targetOwnerPath: device.ownerPath,
        changes: {
          type: request.deviceType,
          serial: request.serial,
          controllerSerial: request.parentSerial ?? device.controllerSerial,
          capabilities: request.capabilities ?? device.capabilities,
          model: request.model ?? device.model,
          revision: request.revision ?? device.revision,
          firmwareVersion: request.firmwareVersion ?? device.firmwareVersion,
          timezone: request.timezone ?? device.timezone,
          identityMethod: identity.method,
        },
        m2m: true,
        applicationTelemetry: this.config.APPLICATION_TELEMETRY_ON_TRANSFER,
        actor: 'device',
        historyAction: 'UPGRADED',
        reason: null,
        events: (after) => [
          event('device.upgraded', {
            deviceId: after.id,
            accountId: after.accountId,
            previousType: device.type,
            state: after.state,
            attributes: eventAttributes(after),
          }),
        ],
      });
      return this.toResult(result.device, result.credentials);
    });
  }

  private async field(request: EnrollRequest, identity: ProvenIdentity): Promise<EnrollmentResult> {
    const existing = await this.devices.findLiveBySerial(identity.manufacturer, request.serial);
    const token = identity.token;
    if (!existing) {
      // Only a token places a new device; a certificate alone says who, not for which customer.
      if (!token) throw new DeviceNotFoundError(request.serial);
      return this.withNewSerial(identity.manufacturer, request.serial, () =>
        this.consuming(token, () => this.createDevice(request, identity, 'FIELD_ACTIVE')),
      );
    }
    // A token without a certificate proves nothing about an existing device: it may re-provision
    // a device of its own account, never take over another account's (anchors §4 item 4).
    const provenByCertificate = identity.caAccountId !== null;
    if (!provenByCertificate && existing.accountId !== identity.accountId) {
      throw new DeviceAlreadyEnrolledError(existing.manufacturer, existing.serial);
    }
    const run = () =>
      this.locks.withLock(`device:${existing.id}`, 'field enrollment', async () => {
        const device = (await this.devices.findById(existing.id)) ?? existing;
        const target = token ? await this.accounts.find(token.accountId) : null;
        const result = await this.reprovisioner.apply({
          device,
          command: 'field_activate',
          targetAccountId: token ? token.accountId : device.accountId,
          targetOwnerPath: token ? (target?.path ?? null) : device.ownerPath,
          changes: {
            type: request.deviceType,
            capabilities: request.capabilities ?? device.capabilities,
            model: request.model ?? device.model,
            revision: request.revision ?? device.revision,
            firmwareVersion: request.firmwareVersion ?? device.firmwareVersion,
            timezone: request.timezone ?? device.timezone,
            identityMethod: identity.method,
            priority: token?.priority ?? device.priority,
          },
          m2m: token ? issuesM2mClient(token.kind) : true,
          applicationTelemetry: this.config.APPLICATION_TELEMETRY_ON_TRANSFER,
          actor: 'device',
          historyAction: 'FIELD_ACTIVATED',
          reason: null,
          events: (after) =>
            after.accountId === device.accountId
              ? [
                  event('device.provisioned', {
                    deviceId: after.id,
                    accountId: after.accountId,
                    scenario: 'field',
                    state: after.state,
                    attributes: eventAttributes(after),
                  }),
                ]
              : [],
          alsoInTransaction: token ? (tx, after) => this.tokens.bindToDevice(tx, token.id, after.id) : undefined,
        });
        return this.toResult(result.device, result.credentials);
      });
    return token ? this.consuming(token, run) : run();
  }

  /** Consumes the token for the duration of `work`; gives it back if the enrollment fails. */
  private async consuming<T>(token: StoredClaimToken, work: () => Promise<T>): Promise<T> {
    const now = new Date();
    if (!(await this.tokens.consume(token.id, now))) {
      // Lost the race: the winner used it (or it expired in between).
      if (token.expiresAt.getTime() <= now.getTime()) throw new ClaimTokenExpiredError(token.expiresAt);
      throw new ClaimTokenUsedError();
    }
    try {
      return await work();
    } catch (error) {
      await this.tokens.release(token.id);
      throw error;
    }
  }

  /** Factory enrollment, or a new device in the field: registry, OTA target, and M2M client if due. */
  private async createDevice(
    request: EnrollRequest,
    identity: ProvenIdentity,
    state: 'FACTORY_PROVISIONED' | 'FIELD_ACTIVE',
  ): Promise<EnrollmentResult> {
    const account = await this.accounts.find(identity.accountId);
    const now = new Date();
    const device: ProvisionedDevice = {
      id: randomUUID(),
      accountId: identity.accountId,
      ownerPath: account?.path ?? null,
      manufacturer: identity.manufacturer,
      serial: request.serial,
      controllerSerial: null,
      type: request.deviceType,
      model: request.model ?? null,
      revision: request.revision ?? null,
      firmwareVersion: request.firmwareVersion ?? null,
      capabilities: request.capabilities ?? [],
      timezone: request.timezone ?? DEFAULT_TIMEZONE,
      priority: identity.token?.priority ?? null,
      state,
      suspendedFrom: null,
      identityMethod: identity.method,
      m2mClientId: null,
      m2mPermissions: [],
      createdAt: now,
      updatedAt: now,
    };
    // seed 002 "Scenario Summary": factory and sensors get MQTT + DDI; PDAs / tablets also M2M.
    const withM2m = state === 'FIELD_ACTIVE' && (identity.token ? issuesM2mClient(identity.token.kind) : true);
    const { registry, ota } = this.backends;
    const saga = new Saga('enroll');
    const { accessToken } = await saga.step(
      'device-registry',
      'registerDevice',
      () =>
        registry.registerDevice({
          deviceId: device.id,
          accountId: device.accountId,
          name: `${device.type} ${device.serial}`,
          profile: device.type,
          attributes: registryAttributes(device),
        }),
      () => registry.deleteDevice(device.id),
    );
    const ddiToken = newToken('fgdd_');
    await saga.step(
      'ota',
      'upsertTarget',
      () =>
        ota.upsertTarget(device.id, {
          accountId: device.accountId,
          name: `${device.type} ${device.serial}`,
          securityToken: ddiToken,
          attributes: targetAttributes(device),
        }),
      () => ota.deleteTarget(device.id),
    );
    let m2mSecret: string | undefined;
    if (withM2m) {
      m2mSecret = await saga.step(
        'identity',
        'createClient',
        () => this.reprovisioner.createClient(device),
        () => this.backends.identity.deleteClient(device.id),
      );
      device.m2mClientId = device.id;
      device.m2mPermissions = this.backends.m2mPermissions;
    }
    const token = identity.token;
    const created = await this.changes.commitNew(
      saga,
      device,
      {
        action: 'ENROLLED',
        fromState: 'UNMANAGED',
        toState: state,
        accountId: device.accountId,
        actor: 'device',
        reason: null,
        details: {
          scenario: request.scenario,
          identityMethod: identity.method,
          credentialsIssued: withM2m ? ['mqtt', 'ddi', 'm2m'] : ['mqtt', 'ddi'],
          ...(token ? { claimTokenId: token.id, priority: token.priority } : {}),
        },
      },
      [
        event('device.provisioned', {
          deviceId: device.id,
          accountId: device.accountId,
          scenario: request.scenario,
          state,
          attributes: eventAttributes(device),
        }),
      ],
      token ? (tx) => this.tokens.bindToDevice(tx, token.id, device.id) : undefined,
    );
    return this.toResult(
      created,
      this.backends.credentials(device.id, { mqttToken: accessToken, ddiToken, m2mSecret }),
    );
  }

  private toResult(device: ProvisionedDevice, credentials: EnrollmentResult['credentials']): EnrollmentResult {
    return { deviceId: device.id, state: device.state, accountId: device.accountId, credentials };
  }
}
