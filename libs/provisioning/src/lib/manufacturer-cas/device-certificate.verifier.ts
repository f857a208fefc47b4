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

/** A registered CA certificate, parsed once, with the roots its signature was checked against. */
interface ParsedCa {
  certificate: X509Certificate;
  signedBy(root: X509Certificate): boolean;
}

/**
 * Manufacturer CA certificates by PEM: every enrollment of a maker presents the same CA, and parsing
 * it (twice) and checking its signature against the root took about a tenth of an enrollment's CPU.
 * Only what follows from the PEM alone is kept; revocation and validity are read from the row each time.
 */
class ParsedCaCertificates {
  private static readonly MAX = 1000;
  private readonly entries = new Map<string, ParsedCa>();

  of(pem: string): ParsedCa {
    let entry = this.entries.get(pem);
    if (!entry) {
      if (this.entries.size >= ParsedCaCertificates.MAX) this.entries.clear();
      const certificate = new X509Certificate(pem);
      const verdicts = new Map<string, boolean>();
      entry = {
        certificate,
        signedBy(root) {
          let verdict = verdicts.get(root.fingerprint256);
          if (verdict === undefined) {
            verdict = certificate.verify(root.publicKey);
            verdicts.set(root.fingerprint256, verdict);
          }
          return verdict;
        },
      };
      this.entries.set(pem, entry);
    }
    return entry;
  }
}

/**
 * Validates a device certificate's chain deterministically against the server-stored chain
 * (device → registered manufacturer sub-CA → platform root), whatever intermediates the device
 * sent: the issuer is looked up by subject (indexed) and must have signed the certificate.
 */
@Injectable()
export class DeviceCertificateVerifier {
  private readonly parsed = new ParsedCaCertificates();

  constructor(
    @Inject(ManufacturerCasRepository) private readonly cas: ManufacturerCasRepository,
    @Inject(PlatformCaService) private readonly platformCa: PlatformCaService,
  ) {}

  async verify(certificate: X509Certificate, now = new Date()): Promise<CertificateVerdict> {
    if (certificate.ca) return refuse('not_a_device_certificate', 'a CA certificate cannot enroll a device');
    const root = await this.platformCa.rootCa();
    const candidates = await this.cas.findBySubject(certificate.issuer);
    const issuer = candidates.find((ca) => {
      const candidate = this.parsed.of(ca.certificatePem).certificate;
      // checkIssued compares names and key identifiers; verify proves the signature (a rogue CA may copy the name).
      return certificate.checkIssued(candidate) && certificate.verify(candidate.publicKey);
    });
    if (!issuer) return refuse('unknown_ca', 'the certificate is not issued by a registered manufacturer CA');
    if (!this.parsed.of(issuer.certificatePem).signedBy(root.certificate)) {
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
