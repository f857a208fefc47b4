import { randomUUID, X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canWrite, type Principal } from '@flexgalaxy/auth';
import { AccountDirectory } from '../accounts/account-directory.js';
import { subjectIdentity } from '../pki/domain/subject-dn.js';
import { PlatformCaService } from '../pki/platform-ca.service.js';
import { InvalidCsrError, parseCertificates, parseCsr } from '../pki/x509.js';
import {
  InvalidManufacturerCaError,
  ManufacturerCaNotFoundError,
  ManufacturerTakenError,
  UnknownAccountError,
} from './manufacturer-cas.errors.js';
import { ManufacturerCasRepository, type CaScope, type ManufacturerCa } from './manufacturer-cas.repository.js';

const scopeOf = (principal: Principal): CaScope =>
  principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'account', accountId: principal.accountId };

/** Manufacturer sub-CAs under the platform root: registered, listed, revoked (seed 002). */
@Injectable()
export class ManufacturerCasService {
  constructor(
    @Inject(ManufacturerCasRepository) private readonly cas: ManufacturerCasRepository,
    @Inject(PlatformCaService) private readonly platformCa: PlatformCaService,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
  ) {}

  /** Registers an uploaded sub-CA certificate: accepted only if the platform root signed it. */
  async register(principal: Principal, certificatePem: string, accountId?: string): Promise<ManufacturerCa> {
    const owner = await this.ownerFor(principal, accountId);
    let certificate: X509Certificate;
    try {
      const [first] = parseCertificates(certificatePem);
      if (!first) throw new Error('no certificate');
      certificate = first;
    } catch {
      throw new InvalidManufacturerCaError('malformed_certificate', 'certificatePem is not a PEM X.509 certificate');
    }
    if (!certificate.ca) throw new InvalidManufacturerCaError('not_a_ca', 'the certificate is not a CA certificate');
    const root = await this.platformCa.rootCa();
    if (!certificate.checkIssued(root.certificate) || !certificate.verify(root.certificate.publicKey)) {
      throw new InvalidManufacturerCaError(
        'not_signed_by_root',
        'the certificate is not signed by the FlexGalaxy root CA (GET /provisioning/v1/root-ca)',
      );
    }
    const now = new Date();
    if (now < new Date(certificate.validFrom)) {
      throw new InvalidManufacturerCaError('not_yet_valid', `the CA is valid from ${certificate.validFrom}`);
    }
    if (now > new Date(certificate.validTo)) {
      throw new InvalidManufacturerCaError('expired', `the CA expired at ${certificate.validTo}`);
    }
    const manufacturer = subjectIdentity(certificate.subject).manufacturer;
    if (!manufacturer) {
      throw new InvalidManufacturerCaError('no_organization', 'the CA subject needs an O (organisation) attribute');
    }
    if (await this.cas.findManufacturerOwnedElsewhere(manufacturer, owner))
      throw new ManufacturerTakenError(manufacturer);
    return this.cas.insert({
      id: randomUUID(),
      accountId: owner,
      manufacturer,
      subject: certificate.subject,
      fingerprint: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
      certificatePem: certificate.toString(),
      notBefore: new Date(certificate.validFrom),
      notAfter: new Date(certificate.validTo),
    });
  }

  /** Signs a manufacturer's CSR with the root and registers the resulting sub-CA. */
  async signCsr(principal: Principal, csrPem: string, validDays: number, accountId?: string): Promise<ManufacturerCa> {
    await this.ownerFor(principal, accountId);
    let csr;
    try {
      csr = parseCsr(csrPem);
    } catch (error) {
      const message = error instanceof InvalidCsrError ? error.message : 'malformed certificate request';
      throw new InvalidManufacturerCaError('malformed_csr', message);
    }
    if (!csr.subject.O) {
      throw new InvalidManufacturerCaError(
        'no_organization',
        'the request subject needs an O (organisation) attribute',
      );
    }
    const pem = await this.platformCa.issueManufacturerCa(csr.subject, csr.publicKey, validDays);
    return this.register(principal, pem, accountId);
  }

  list(principal: Principal): Promise<ManufacturerCa[]> {
    return this.cas.listVisible(scopeOf(principal));
  }

  async revoke(principal: Principal, id: string, reason: string): Promise<ManufacturerCa> {
    const ca = await this.cas.findVisible(scopeOf(principal), id);
    if (!ca) throw new ManufacturerCaNotFoundError(id);
    if (ca.revokedAt) return ca;
    return this.cas.markRevoked(ca.id, reason);
  }

  private async ownerFor(principal: Principal, accountId?: string): Promise<string> {
    const owner = accountId ?? principal.accountId;
    // Only a platform admin registers for another account; to anyone else that account does not exist.
    if (!canWrite(principal, owner)) throw new UnknownAccountError(owner);
    if (!(await this.accounts.find(owner))) throw new UnknownAccountError(owner);
    return owner;
  }
}
