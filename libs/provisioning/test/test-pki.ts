import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { issueCertificate, subjectNameDer, type DistinguishedName } from '../src/lib/pki/x509.js';

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface TestCa {
  keys: TestKeyPair;
  pem: string;
  certificate: X509Certificate;
  keyPem: string;
}

export interface TestDeviceCertificate {
  /** PEM private key and certificate, as node:tls / https take them. */
  key: string;
  cert: string;
}

const DAY = 24 * 3600 * 1000;
const ec = (): TestKeyPair => generateKeyPairSync('ec', { namedCurve: 'P-256' });

function ca(name: DistinguishedName, issuer: TestCa | null, keys = ec(), validity?: { from: Date; to: Date }): TestCa {
  const now = Date.now();
  const pem = issueCertificate({
    subject: name,
    publicKey: keys.publicKey,
    issuer: issuer
      ? { name: subjectNameDer(issuer.certificate), ...issuer.keys }
      : { name, privateKey: keys.privateKey, publicKey: keys.publicKey },
    notBefore: validity?.from ?? new Date(now - DAY),
    notAfter: validity?.to ?? new Date(now + 3650 * DAY),
    ca: { pathLength: issuer ? 0 : 1 },
  });
  return {
    keys,
    pem,
    certificate: new X509Certificate(pem),
    keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * The tests' own CA hierarchy (seed 002 "X.509 Certificate Chain"): a FlexGalaxy root the service
 * is configured with, manufacturer sub-CAs under it, device certificates under those, and a rogue
 * root that signs look-alike sub-CAs the platform must refuse.
 */
export class TestPki {
  readonly root = ca({ O: 'FlexGalaxy', CN: 'FlexGalaxy Test Root CA' }, null);
  readonly rogueRoot = ca({ O: 'FlexGalaxy', CN: 'FlexGalaxy Test Root CA' }, null);

  /** A manufacturer sub-CA (O = the manufacturer), signed by the root or by the rogue root. */
  subCa(manufacturer: string, options: { rogue?: boolean; validity?: { from: Date; to: Date } } = {}): TestCa {
    return ca(
      { O: manufacturer, CN: `${manufacturer} Devices CA` },
      options.rogue ? this.rogueRoot : this.root,
      ec(),
      options.validity,
    );
  }

  /** A device certificate: O = manufacturer, CN = serial (or serialNumber when given). */
  device(issuer: TestCa, subject: DistinguishedName, validity: { from?: Date; to?: Date } = {}): TestDeviceCertificate {
    const keys = ec();
    const now = Date.now();
    const cert = issueCertificate({
      subject,
      publicKey: keys.publicKey,
      issuer: { name: subjectNameDer(issuer.certificate), ...issuer.keys },
      notBefore: validity.from ?? new Date(now - DAY),
      notAfter: validity.to ?? new Date(now + 365 * DAY),
      usage: ['client'],
    });
    return { key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
  }
}

export const DAYS = DAY;
