import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import { publicJwk, signEs256 } from './domain/jws.js';
import { issueCertificate, keyIdentifier, newSerialNumber, NO_EXPIRY, type DistinguishedName } from './domain/x509.js';
import { SigningKeysRepository, type StoredSigningKey } from './signing-keys.repository.js';

const CA_PURPOSE = 'license-ca';
const JWT_PURPOSE = 'license-jwt';
const CA_NAME: DistinguishedName = { commonName: 'FlexGalaxy TrustMint License CA', organization: 'FlexGalaxy' };
const CA_VALIDITY_YEARS = 20;

export interface LicenseCredentialInput {
  licenseId: string;
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  softwareVersion: string | null;
  licenseType: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** The key the certificate certifies: the device's, when it sent one; otherwise a key made for it. */
  subjectPublicKey?: KeyObject;
}

export interface LicenseCredentials {
  serialNumber: string;
  certificatePem: string;
  token: string;
}

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function generate(purpose: string): { key: StoredSigningKey; loaded: LoadedKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 22);
  return {
    key: {
      purpose,
      kid,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      certificatePem: null,
    },
    loaded: { kid, privateKey, publicKey },
  };
}

function load(key: StoredSigningKey): LoadedKey {
  return {
    kid: key.kid,
    privateKey: createPrivateKey(key.privateKeyPem),
    publicKey: createPublicKey(key.publicKeyPem),
  };
}

/**
 * TrustMint's license CA (ECDSA P-256, self-signed) and license-JWT key (ES256). Both are
 * generated at first start and persisted, so licenses issued before a restart keep verifying
 * against the published CA (GET /entitlements/v1/ca) and JWKS (GET /entitlements/v1/jwks).
 */
@Injectable()
export class LicenseAuthority implements OnModuleInit {
  private ca: (LoadedKey & { certificatePem: string; keyId: Buffer }) | null = null;
  private jwt: LoadedKey | null = null;

  constructor(
    @Inject(SigningKeysRepository) private readonly keys: SigningKeysRepository,
    @Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureLoaded();
  }

  private async ensureLoaded(): Promise<void> {
    if (this.ca && this.jwt) return;
    const storedCa = (await this.keys.find(CA_PURPOSE)) ?? (await this.keys.storeFirst(this.newCa()));
    const loadedCa = load(storedCa);
    this.ca = {
      ...loadedCa,
      certificatePem: storedCa.certificatePem ?? '',
      keyId: keyIdentifier(loadedCa.publicKey),
    };
    const storedJwt = (await this.keys.find(JWT_PURPOSE)) ?? (await this.keys.storeFirst(generate(JWT_PURPOSE).key));
    this.jwt = load(storedJwt);
  }

  private newCa(): StoredSigningKey {
    const { key, loaded } = generate(CA_PURPOSE);
    const now = new Date();
    const notAfter = new Date(now);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
    const keyId = keyIdentifier(loaded.publicKey);
    const certificatePem = issueCertificate({
      subject: CA_NAME,
      subjectPublicKey: loaded.publicKey,
      issuer: CA_NAME,
      issuerPrivateKey: loaded.privateKey,
      issuerKeyId: keyId,
      serialNumber: newSerialNumber(),
      notBefore: new Date(now.getTime() - 60_000),
      notAfter,
      isCa: true,
    });
    return { ...key, certificatePem };
  }

  async caCertificatePem(): Promise<string> {
    await this.ensureLoaded();
    return this.ca!.certificatePem;
  }

  async jwks(): Promise<{ keys: ReturnType<typeof publicJwk>[] }> {
    await this.ensureLoaded();
    return { keys: [publicJwk(this.jwt!.publicKey, this.jwt!.kid)] };
  }

  /** The license's certificate (signed by the CA) and JWT (signed by the license-JWT key). */
  async issue(input: LicenseCredentialInput): Promise<LicenseCredentials> {
    await this.ensureLoaded();
    const ca = this.ca!;
    const serial = newSerialNumber();
    const subjectPublicKey = input.subjectPublicKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const uris = [
      `urn:flexgalaxy:license:${input.licenseId}`,
      `urn:flexgalaxy:account:${input.accountId}`,
      `urn:flexgalaxy:software:${encodeURIComponent(input.softwareId)}`,
      ...(input.deviceId ? [`urn:flexgalaxy:device:${encodeURIComponent(input.deviceId)}`] : []),
    ];
    const certificatePem = issueCertificate({
      subject: {
        commonName: input.deviceId ?? `account ${input.accountId}`,
        organization: 'FlexGalaxy license',
        organizationalUnit: `${input.licenseType} ${input.softwareId}`.slice(0, 64),
      },
      subjectPublicKey,
      issuer: CA_NAME,
      issuerPrivateKey: ca.privateKey,
      issuerKeyId: ca.keyId,
      serialNumber: serial,
      notBefore: input.issuedAt,
      notAfter: input.expiresAt ?? NO_EXPIRY,
      isCa: false,
      uris,
    });
    const serialNumber = serial.toString('hex').toUpperCase();
    const token = signEs256(
      {
        iss: this.config.TRUST_MINT_LICENSE_ISSUER,
        sub: input.deviceId ?? input.accountId,
        jti: input.licenseId,
        iat: Math.floor(input.issuedAt.getTime() / 1000),
        nbf: Math.floor(input.issuedAt.getTime() / 1000),
        ...(input.expiresAt ? { exp: Math.floor(input.expiresAt.getTime() / 1000) } : {}),
        license_id: input.licenseId,
        license_type: input.licenseType,
        account_id: input.accountId,
        device_id: input.deviceId,
        software_id: input.softwareId,
        software_version: input.softwareVersion,
        certificate_serial: serialNumber,
      },
      this.jwt!.privateKey,
      this.jwt!.kid,
    );
    return { serialNumber, certificatePem, token };
  }

  /** Parses a device-supplied public key; null if it is not a P-256 SPKI PEM. */
  static parseDeviceKey(pem: string): KeyObject | null {
    try {
      const key = createPublicKey(pem);
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : null;
    } catch {
      return null;
    }
  }
}

/** True when `certificatePem` was issued by the CA certificate (signature and issuer name). */
export function issuedBy(certificatePem: string, caPem: string): boolean {
  const ca = new X509Certificate(caPem);
  const certificate = new X509Certificate(certificatePem);
  return certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
}
