import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { issueCertificate, keyIdentifier, newSerialNumber, NO_EXPIRY } from './x509.js';

describe('issueCertificate', () => {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = { commonName: 'Test License CA', organization: 'FlexGalaxy' };
  const caPem = issueCertificate({
    subject: caName,
    subjectPublicKey: ca.publicKey,
    issuer: caName,
    issuerPrivateKey: ca.privateKey,
    issuerKeyId: keyIdentifier(ca.publicKey),
    serialNumber: newSerialNumber(),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2046-01-01T00:00:00Z'),
    isCa: true,
  });

  it('should make a self-signed CA certificate node:crypto accepts', () => {
    const certificate = new X509Certificate(caPem);
    expect(certificate.ca).toBe(true);
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.subject).toContain('CN=Test License CA');
    expect(certificate.validTo).toContain('2046');
  });

  it('should make a leaf the CA verifies, naming the license in its subjectAltName', () => {
    const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = issueCertificate({
      subject: { commonName: 'amr-x1-001', organizationalUnit: 'TRIAL flexgalaxy.device' },
      subjectPublicKey: leaf.publicKey,
      issuer: caName,
      issuerPrivateKey: ca.privateKey,
      issuerKeyId: keyIdentifier(ca.publicKey),
      serialNumber: newSerialNumber(),
      notBefore: new Date(),
      notAfter: NO_EXPIRY,
      isCa: false,
      uris: ['urn:flexgalaxy:license:abc', 'urn:flexgalaxy:device:amr-x1-001'],
    });
    const certificate = new X509Certificate(pem);
    const caCertificate = new X509Certificate(caPem);
    expect(certificate.ca).toBe(false);
    expect(certificate.checkIssued(caCertificate)).toBe(true);
    expect(certificate.verify(caCertificate.publicKey)).toBe(true);
    expect(certificate.subjectAltName).toContain('URI:urn:flexgalaxy:device:amr-x1-001');
    expect(certificate.validTo).toContain('9999');
    // Signed by another key: verification fails.
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(certificate.verify(other.publicKey)).toBe(false);
  });
});
