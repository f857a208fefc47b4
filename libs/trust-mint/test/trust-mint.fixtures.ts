import { createPublicKey, verify, X509Certificate, type JsonWebKey } from 'node:crypto';
import type { EventMap } from '@flexgalaxy/contracts';
import type { PublishedEvent, ServiceHarness } from '@flexgalaxy/testing';
import { trustMintConfigSchema, type TrustMintConfig } from '@flexgalaxy/trust-mint';

/** Every TrustMint permission plus the subscribe permission: an account administrator's token. */
export const ADMIN_OF_ACCOUNT = [
  'devices.read',
  'devices.write',
  'events.read',
  'certificates.read',
  'approvals.read',
  'approvals.write',
  'licenses.read',
  'trust-mint.subscribe',
];

/** Fast webhooks for tests: retries after 50 ms and 100 ms, 400 ms per attempt, polled every 25 ms. */
export function testConfig(overrides: Record<string, string> = {}): TrustMintConfig {
  return trustMintConfigSchema.parse({
    TRUST_MINT_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms',
    TRUST_MINT_WEBHOOK_RETRY_JITTER: '0.1',
    TRUST_MINT_WEBHOOK_TIMEOUT_MS: '400',
    TRUST_MINT_WEBHOOK_POLL_INTERVAL_MS: '25',
    TRUST_MINT_WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true',
    ...overrides,
  });
}

export const DEVICE_CONSUMER = 'trust-mint.devices';
export const LISTING_CONSUMER = 'trust-mint.listings';
export const OTA_CONSUMER = 'trust-mint.ota-installs';

export function provisioned(deviceId: string, accountId: string): PublishedEvent<'device.provisioned'> {
  return {
    type: 'device.provisioned',
    accountId,
    deviceId,
    payload: {
      deviceId,
      accountId,
      scenario: 'factory',
      state: 'FACTORY_PROVISIONED',
      attributes: {
        type: 'amr',
        manufacturer: 'RoboMake',
        model: 'X1',
        revision: 'r3',
        serial: `SN-${deviceId}`,
        firmwareVersion: '1.0.0',
        capabilities: ['navigation'],
      },
    },
  };
}

export function listingPublished(
  listingId: string,
  developerAccountId: string,
  trigger: EventMap['listing.published']['licensePolicy']['trigger'],
  overrides: Partial<EventMap['listing.published']> = {},
): PublishedEvent<'listing.published'> {
  return {
    type: 'listing.published',
    accountId: developerAccountId,
    payload: {
      listingId,
      developerAccountId,
      name: `Listing ${listingId}`,
      version: '1.0.0',
      category: 'application',
      versionScoping: 'all',
      licensePolicy: { softwareType: 'firmware', licenseType: 'per-device perpetual', trigger },
      ...overrides,
    },
  };
}

export function otaStatus(
  deviceId: string,
  accountId: string,
  listingId: string,
  status: EventMap['ota.action.status_changed']['status'],
  softwareVersion = '1.0.0',
  actionId = `action-${deviceId}-${listingId}-${softwareVersion}`,
): PublishedEvent<'ota.action.status_changed'> {
  return {
    type: 'ota.action.status_changed',
    accountId,
    deviceId,
    payload: {
      actionId,
      deviceId,
      distributionSetId: `ds-${listingId}`,
      listingId,
      softwareVersion,
      status,
      details: [],
    },
  };
}

export interface LicenseBody {
  id: string;
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  softwareVersion: string | null;
  type: 'TRIAL' | 'OFFICIAL';
  status: string;
  validity: string;
  trigger: string;
  serialNumber: string;
  expiresAt: string | null;
  supersededById: string | null;
  certificatePem: string;
  token: string;
}

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

/** Verifies a license JWT against the published JWKS as a device would (ES256, by kid). */
export async function verifyLicenseToken(
  harness: ServiceHarness,
  token: string,
): Promise<Record<string, unknown> | null> {
  const jwks = await harness.call<{ keys: (JsonWebKey & { kid: string })[] }>('GET', '/entitlements/v1/jwks', null);
  const [header, payload, signature] = token.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { kid: string; alg: string };
  const jwk = jwks.body.keys.find((key) => key.kid === kid);
  if (!jwk || alg !== 'ES256') return null;
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature!, 'base64url'),
  );
  return valid ? (JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>) : null;
}

/** Whether the license certificate chains to the CA published at /entitlements/v1/ca. */
export async function chainsToPublishedCa(harness: ServiceHarness, certificatePem: string): Promise<boolean> {
  const ca = new X509Certificate((await harness.call('GET', '/entitlements/v1/ca', null)).text);
  const certificate = new X509Certificate(certificatePem);
  return ca.ca && certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
}

export const withoutRequestId = (body: Record<string, unknown>) => {
  const { requestId: _ignored, ...rest } = body;
  return rest;
};
