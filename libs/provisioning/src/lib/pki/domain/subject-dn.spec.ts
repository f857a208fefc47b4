import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { issueCertificate } from '../x509.js';
import { parseDn, sameManufacturer, subjectIdentity } from './subject-dn.js';

describe('subject DN', () => {
  describe(parseDn.name, () => {
    it.each([
      ['O=syrius\nCN=CTRL-2024-001', { O: ['syrius'], CN: ['CTRL-2024-001'] }],
      ['C=CN\nO=Syrius Robotics\\, Inc.\nCN=AMR', { C: ['CN'], O: ['Syrius Robotics, Inc.'], CN: ['AMR'] }],
      ['O=a\\+b\nCN=x + serialNumber=SN-1', { O: ['a+b'], CN: ['x'], serialNumber: ['SN-1'] }],
      ['CN=line\\0Abreak', { CN: ['line\nbreak'] }],
      ['CN=caf\\C3\\A9', { CN: ['café'] }],
      ['OU=one\nOU=two', { OU: ['one', 'two'] }],
      ['', {}],
    ])('should parse %j', (subject, expected) => {
      expect(parseDn(subject)).toEqual(expected);
    });
  });

  describe(subjectIdentity.name, () => {
    it.each([
      ['O=syrius\nCN=CTRL-2024-001', { manufacturer: 'syrius', serial: 'CTRL-2024-001' }],
      ['O=syrius\nCN=Robot 7\nserialNumber=AMR-X1-2024-001', { manufacturer: 'syrius', serial: 'AMR-X1-2024-001' }],
      ['CN=no-org', { manufacturer: null, serial: 'no-org' }],
      ['O=syrius', { manufacturer: 'syrius', serial: null }],
    ])('should read %j', (subject, expected) => {
      expect(subjectIdentity(subject)).toEqual(expected);
    });

    it('should read what node:crypto renders for a real certificate, escapes included', () => {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const name = { O: 'Syrius, Inc. + Partners', CN: 'Robot', serialNumber: 'SN-2024/001' };
      const pem = issueCertificate({
        subject: name,
        publicKey: keys.publicKey,
        issuer: { name, ...keys },
        notBefore: new Date(),
        notAfter: new Date(Date.now() + 60_000),
      });
      expect(subjectIdentity(new X509Certificate(pem).subject)).toEqual({
        manufacturer: 'Syrius, Inc. + Partners',
        serial: 'SN-2024/001',
      });
    });
  });

  it('should compare manufacturers without regard to case', () => {
    expect(sameManufacturer('Syrius ', 'syrius')).toBe(true);
    expect(sameManufacturer('syrius', 'robomake')).toBe(false);
  });
});
