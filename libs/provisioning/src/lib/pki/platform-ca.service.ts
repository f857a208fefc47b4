import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';
import { EncryptionKeySource } from '../shared/encryption-key.js';
import { PlatformKeysRepository } from './platform-keys.repository.js';
import { issueCertificate, subjectNameDer, type DistinguishedName } from './x509.js';

const ROOT_CA = 'root-ca';
const DEVICE_TLS_SERVER = 'device-tls-server';
const ROOT_NAME: DistinguishedName = { O: 'FlexGalaxy', CN: 'FlexGalaxy Root CA' };
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface LoadedKeyPair {
  certificate: X509Certificate;
  certificatePem: string;
  privateKey: KeyObject;
  privateKeyPem: string;
}

/**
 * The FlexGalaxy root CA (seed 002 "X.509 Certificate Chain"): given by the operator
 * (ROOT_CA_CERT_FILE / ROOT_CA_KEY_FILE), or generated at first start (ECDSA P-256, 20 years) and
 * stored in the database with its private key encrypted (PKCS#8, AES-256) by the provisioning
 * encryption key, which lives outside the database. It signs manufacturer sub-CAs and the device
 * TLS listener's server certificate.
 */
@Injectable()
export class PlatformCaService {
  private readonly logger = new Logger(PlatformCaService.name);
  private root: Promise<LoadedKeyPair> | undefined;
  private server: Promise<LoadedKeyPair> | undefined;

  constructor(
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
    @Inject(PlatformKeysRepository) private readonly keys: PlatformKeysRepository,
    @Inject(EncryptionKeySource) private readonly encryption: EncryptionKeySource,
  ) {}

  rootCa(): Promise<LoadedKeyPair> {
    this.root ??= this.loadRoot().catch((error: unknown) => {
      this.root = undefined;
      throw error;
    });
    return this.root;
  }

  /** The device TLS listener's server certificate: configured, or issued by the root once and kept. */
  deviceTlsServer(): Promise<LoadedKeyPair> {
    this.server ??= this.loadServer().catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    return this.server;
  }

  /** Signs a manufacturer sub-CA for `subject`'s key (the optional CSR flow); returns its PEM. */
  async issueManufacturerCa(subject: DistinguishedName, publicKey: KeyObject, validDays: number): Promise<string> {
    const root = await this.rootCa();
    const now = Date.now();
    return issueCertificate({
      subject,
      publicKey,
      issuer: {
        name: subjectNameDer(root.certificate),
        privateKey: root.privateKey,
        publicKey: root.certificate.publicKey,
      },
      notBefore: new Date(now - 60_000),
      notAfter: new Date(Math.min(now + validDays * 24 * 3600 * 1000, new Date(root.certificate.validTo).getTime())),
      ca: { pathLength: 0 },
    });
  }

  private async loadRoot(): Promise<LoadedKeyPair> {
    if (this.config.ROOT_CA_CERT_FILE && this.config.ROOT_CA_KEY_FILE) {
      return this.fromFiles(this.config.ROOT_CA_CERT_FILE, this.config.ROOT_CA_KEY_FILE);
    }
    return this.storedOrGenerated(ROOT_CA, () => {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const now = Date.now();
      return {
        privateKey: keys.privateKey,
        certificatePem: issueCertificate({
          subject: ROOT_NAME,
          publicKey: keys.publicKey,
          issuer: { name: ROOT_NAME, ...keys },
          notBefore: new Date(now - 60_000),
          notAfter: new Date(now + 20 * YEAR_MS),
          ca: { pathLength: 1 },
        }),
      };
    });
  }

  private async loadServer(): Promise<LoadedKeyPair> {
    if (this.config.DEVICE_TLS_CERT_FILE && this.config.DEVICE_TLS_KEY_FILE) {
      return this.fromFiles(this.config.DEVICE_TLS_CERT_FILE, this.config.DEVICE_TLS_KEY_FILE);
    }
    const root = await this.rootCa();
    return this.storedOrGenerated(DEVICE_TLS_SERVER, () => {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const now = Date.now();
      const host = this.config.DEVICE_TLS_HOST;
      const altNames = [...new Set(['localhost', '127.0.0.1', ...(host === '0.0.0.0' ? [] : [host])])];
      return {
        privateKey: keys.privateKey,
        certificatePem: issueCertificate({
          subject: { O: 'FlexGalaxy', CN: host === '0.0.0.0' ? 'localhost' : host },
          publicKey: keys.publicKey,
          issuer: {
            name: subjectNameDer(root.certificate),
            privateKey: root.privateKey,
            publicKey: root.certificate.publicKey,
          },
          notBefore: new Date(now - 60_000),
          notAfter: new Date(now + 2 * YEAR_MS),
          usage: ['server'],
          altNames,
        }),
      };
    });
  }

  private fromFiles(certificateFile: string, keyFile: string): LoadedKeyPair {
    const certificatePem = readFileSync(certificateFile, 'utf8');
    const privateKeyPem = readFileSync(keyFile, 'utf8');
    const privateKey = createPrivateKey(privateKeyPem);
    return { certificate: new X509Certificate(certificatePem), certificatePem, privateKey, privateKeyPem };
  }

  private async storedOrGenerated(
    name: string,
    generate: () => { privateKey: KeyObject; certificatePem: string },
  ): Promise<LoadedKeyPair> {
    const passphrase = this.encryption.passphrase();
    let stored = await this.keys.find(name);
    if (!stored) {
      const fresh = generate();
      const encrypted = fresh.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
      stored = await this.keys.insertOrKeep({
        name,
        certificatePem: fresh.certificatePem,
        privateKeyPem: encrypted.toString(),
      });
      this.logger.log({ name }, 'generated and stored key pair (private key encrypted)');
    }
    const privateKey = createPrivateKey({ key: stored.privateKeyPem, format: 'pem', passphrase });
    return {
      certificate: new X509Certificate(stored.certificatePem),
      certificatePem: stored.certificatePem,
      privateKey,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
}
