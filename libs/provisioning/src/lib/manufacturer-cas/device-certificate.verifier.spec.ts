import { X509Certificate } from 'node:crypto';
import { TestPki, type TestCa } from '../../../test/test-pki.js';
import type { PlatformCaService } from '../pki/platform-ca.service.js';
import { DeviceCertificateVerifier } from './device-certificate.verifier.js';
import type { ManufacturerCa, ManufacturerCasRepository } from './manufacturer-cas.repository.js';

const DAY = 24 * 3600 * 1000;

function registered(ca: TestCa, overrides: Partial<ManufacturerCa> = {}): ManufacturerCa {
  return {
    id: 'ca-1',
    accountId: 'maker-1',
    manufacturer: 'syrius',
    subject: ca.certificate.subject,
    fingerprint: ca.certificate.fingerprint256,
    certificatePem: ca.pem,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    revokedAt: null,
    revokedReason: null,
    createdAt: new Date(),
    ...overrides,
  };
}

describe('DeviceCertificateVerifier', () => {
  const pki = new TestPki();
  const subCa = pki.subCa('syrius');
  const device = new X509Certificate(pki.device(subCa, { O: 'syrius', CN: 'AMR-1' }).cert);
  let row: ManufacturerCa;
  let root: X509Certificate;
  let verifier: DeviceCertificateVerifier;

  beforeEach(() => {
    row = registered(subCa);
    root = pki.root.certificate;
    const cas = { findBySubject: async () => [row] } as unknown as ManufacturerCasRepository;
    const platformCa = { rootCa: async () => ({ certificate: root }) } as unknown as PlatformCaService;
    verifier = new DeviceCertificateVerifier(cas, platformCa);
  });

  it('should accept the same CA again from its parsed copy', async () => {
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: true, serial: 'AMR-1' });
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: true, serial: 'AMR-1' });
  });

  it('should check the CA against the root of the moment, not the one it was first checked against', async () => {
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: true });
    root = pki.rogueRoot.certificate;

    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: false, reason: 'unknown_ca' });
    root = pki.root.certificate;
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: true });
  });

  it('should read revocation and validity from the row on every call', async () => {
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: true });
    row = { ...row, revokedAt: new Date() };
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: false, reason: 'ca_revoked' });
    row = { ...row, revokedAt: null, notAfter: new Date(Date.now() - 1000) };
    await expect(verifier.verify(device)).resolves.toMatchObject({ ok: false, reason: 'ca_expired' });
  });

  it('should refuse a look-alike CA with the same name under another root', async () => {
    const lookAlike = pki.subCa('syrius', { rogue: true });
    const forged = new X509Certificate(pki.device(lookAlike, { O: 'syrius', CN: 'AMR-2' }).cert);

    await expect(verifier.verify(forged)).resolves.toMatchObject({ ok: false, reason: 'unknown_ca' });
  });
});
