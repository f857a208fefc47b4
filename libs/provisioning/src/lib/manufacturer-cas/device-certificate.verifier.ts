import { X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sameManufacturer, subjectIdentity } from '../pki/domain/subject-dn.js';
import { PlatformCaService } from '../pki/platform-ca.service.js';
import { ManufacturerCasRepository, type ManufacturerCa } from './manufacturer-cas.repository.js';

/** Why a device certificate is refused; each is a distinct, documented answer (anchors §4.2). */
export type CertificateRejection =
  | 'no_client_certificate'
  | 'untrusted_certificate_forwarder'
  | 'malformed_certificate'
  | 'not_a_device_certificate'
  | 'unknown_ca'
  | 'ca_revoked'
  | 'ca_expired'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'missing_identity'
  | 'manufacturer_mismatch'
  | 'serial_mismatch';

export type CertificateVerdict =
  | { ok: true; ca: ManufacturerCa; manufacturer: string; serial: string }
  | { ok: false; reason: CertificateRejection; message: string; ca?: ManufacturerCa };

const refuse = (reason: CertificateRejection, message: string, ca?: ManufacturerCa): CertificateVerdict => ({
  ok: false,
  reason,
  message,
  ...(ca ? { ca } : {}),
});

/**
 * Validates a device certificate's chain deterministically against the server-stored chain
 * (device → registered manufacturer sub-CA → platform root), whatever intermediates the device
 * sent: the issuer is looked up by subject (indexed) and must have signed the certificate.
 */
@Injectable()
export class DeviceCertificateVerifier {
  constructor(
    @Inject(ManufacturerCasRepository) private readonly cas: ManufacturerCasRepository,
    @Inject(PlatformCaService) private readonly platformCa: PlatformCaService,
  ) {}

  async verify(certificate: X509Certificate, now = new Date()): Promise<CertificateVerdict> {
    if (certificate.ca) return refuse('not_a_device_certificate', 'a CA certificate cannot enroll a device');
    const root = await this.platformCa.rootCa();
    const candidates = await this.cas.findBySubject(certificate.issuer);
    const issuer = candidates.find((ca) => {
      const candidate = new X509Certificate(ca.certificatePem);
      // checkIssued compares names and key identifiers; verify proves the signature (a rogue CA may copy the name).
      return certificate.checkIssued(candidate) && certificate.verify(candidate.publicKey);
    });
    if (!issuer) return refuse('unknown_ca', 'the certificate is not issued by a registered manufacturer CA');
    const issuerCertificate = new X509Certificate(issuer.certificatePem);
    if (!issuerCertificate.verify(root.certificate.publicKey)) {
      return refuse('unknown_ca', 'the manufacturer CA is not signed by the current platform root', issuer);
    }
    if (issuer.revokedAt) return refuse('ca_revoked', 'the manufacturer CA has been revoked', issuer);
    if (now > issuer.notAfter || now < issuer.notBefore) {
      return refuse('ca_expired', 'the manufacturer CA is outside its validity period', issuer);
    }
    if (now < new Date(certificate.validFrom)) {
      return refuse('certificate_not_yet_valid', `the certificate is valid from ${certificate.validFrom}`, issuer);
    }
    if (now > new Date(certificate.validTo)) {
      return refuse('certificate_expired', `the certificate expired at ${certificate.validTo}`, issuer);
    }
    const identity = subjectIdentity(certificate.subject);
    if (!identity.manufacturer || !identity.serial) {
      return refuse(
        'missing_identity',
        'the subject DN needs O (manufacturer) and serialNumber or CN (serial)',
        issuer,
      );
    }
    if (!sameManufacturer(identity.manufacturer, issuer.manufacturer)) {
      return refuse('manufacturer_mismatch', 'the certificate names another manufacturer than its CA', issuer);
    }
    return { ok: true, ca: issuer, manufacturer: issuer.manufacturer, serial: identity.serial };
  }
}
