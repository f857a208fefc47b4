import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createCsr, InvalidCsrError, issueCertificate, parseCertificates, parseCsr, subjectNameDer } from './x509.js';

const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const DAY = 24 * 3600 * 1000;

describe('x509 (forge DER encoding, node:crypto signatures)', () => {
  const rootKeys = ec();
  const rootName = { O: 'FlexGalaxy', CN: 'Root' };
  const root = new X509Certificate(
    issueCertificate({
      subject: rootName,
      publicKey: rootKeys.publicKey,
      issuer: { name: rootName, ...rootKeys },
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
      ca: { pathLength: 1 },
    }),
  );

  describe(issueCertificate.name, () => {
    it('should issue a self-signed ECDSA P-256 root that node:crypto reads as a CA', () => {
      expect(root.ca).toBe(true);
      expect(root.verify(root.publicKey)).toBe(true);
      expect(root.subject).toBe('O=FlexGalaxy\nCN=Root');
      expect(root.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    });

    it('should issue a sub-CA and a client certificate chained to it, with names and validity kept', () => {
      const subKeys = ec();
      const sub = new X509Certificate(
        issueCertificate({
          subject: { O: 'syrius', CN: 'Syrius CA' },
          publicKey: subKeys.publicKey,
          issuer: { name: subjectNameDer(root), ...rootKeys },
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2055-01-01T00:00:00Z'),
          ca: { pathLength: 0 },
        }),
      );
      expect(sub.checkIssued(root)).toBe(true);
      expect(sub.verify(root.publicKey)).toBe(true);
      expect(new Date(sub.validTo).toISOString()).toBe('2055-01-01T00:00:00.000Z');
      const device = new X509Certificate(
        issueCertificate({
          subject: { O: 'syrius', CN: 'Robot', serialNumber: 'AMR-1' },
          publicKey: ec().publicKey,
          issuer: { name: subjectNameDer(sub), ...subKeys },
          notBefore: new Date(Date.now() - DAY),
          notAfter: new Date(Date.now() + DAY),
          usage: ['client'],
        }),
      );
      expect(device.ca).toBe(false);
      expect(device.checkIssued(sub)).toBe(true);
      expect(device.verify(sub.publicKey)).toBe(true);
      expect(device.verify(root.publicKey)).toBe(false);
      expect(device.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    });

    it('should sign with an RSA issuer key too', () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const name = { CN: 'RSA root' };
      const certificate = new X509Certificate(
        issueCertificate({
          subject: name,
          publicKey: rsa.publicKey,
          issuer: { name, ...rsa },
          notBefore: new Date(),
          notAfter: new Date(Date.now() + DAY),
          ca: {},
        }),
      );
      expect(certificate.verify(rsa.publicKey)).toBe(true);
    });

    it('should put DNS names and IP addresses in a server certificate', () => {
      const keys = ec();
      const certificate = new X509Certificate(
        issueCertificate({
          subject: { CN: 'localhost' },
          publicKey: keys.publicKey,
          issuer: { name: subjectNameDer(root), ...rootKeys },
          notBefore: new Date(),
          notAfter: new Date(Date.now() + DAY),
          usage: ['server'],
          altNames: ['localhost', '127.0.0.1'],
        }),
      );
      expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
      expect(certificate.checkHost('localhost')).toBe('localhost');
      expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    });
  });

  describe(parseCsr.name, () => {
    it('should read back the subject and key of a CSR', () => {
      const keys = ec();
      const csr = parseCsr(createCsr({ O: 'acme', CN: 'ACME CA' }, keys.publicKey, keys.privateKey));
      expect(csr.subject).toEqual({ O: 'acme', CN: 'ACME CA' });
      expect(csr.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
        keys.publicKey.export({ type: 'spki', format: 'der' }),
      );
    });

    it('should refuse a CSR not signed by the key it carries', () => {
      const keys = ec();
      const other = ec();
      expect(() => parseCsr(createCsr({ O: 'acme' }, keys.publicKey, other.privateKey))).toThrow(InvalidCsrError);
    });

    it('should refuse what is not a CSR', () => {
      expect(() => parseCsr('hello')).toThrow(InvalidCsrError);
      expect(() => parseCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----')).toThrow(
        InvalidCsrError,
      );
    });
  });

  it('should split a PEM bundle into certificates', () => {
    expect(parseCertificates(`${root.toString()}\n${root.toString()}`)).toHaveLength(2);
    expect(parseCertificates('nothing')).toEqual([]);
  });
});
