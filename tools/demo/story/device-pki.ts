import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * The manufacturer's side of seed 002's certificate chain, as RoboMake's factory runs it: an EC
 * P-256 key and a PKCS#10 request for its sub-CA (which the platform root signs through
 * `POST /provisioning/v1/manufacturer-cas/csr`), then one client certificate per controller and
 * per robot, signed with that sub-CA's key. The platform is reached only over HTTP, so nothing of
 * the provisioning service's own PKI code is used here. node-forge encodes the DER (its own
 * certificate API signs RSA only); node:crypto signs with ECDSA.
 */

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  O: '2.5.4.10',
  CN: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const DAY_MS = 86_400_000;

const seq = (items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const bits = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, bytes);
const integer = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
const bool = (value: boolean) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, value ? '\xff' : '\x00');
const utcTime = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
const der = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// BIT STRINGs stay bytes (forge would otherwise try to parse a public key as ASN.1); the options
// form of fromDer exists at run time, its typings only know the old boolean.
const fromDerWithOptions = asn1.fromDer as unknown as (
  bytes: forge.util.ByteStringBuffer,
  options: { decodeBitStrings: boolean },
) => Asn1;
const fromDer = (buffer: Buffer) =>
  fromDerWithOptions(forge.util.createBuffer(buffer.toString('binary')), { decodeBitStrings: false });

function toPem(label: string, bytes: Buffer): string {
  const body = bytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/** Subject with O (the manufacturer, seed 002) and CN (the serial). */
function nameNode(subject: { O: string; CN: string }): Asn1 {
  const utf8 = (value: string) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value));
  return seq([set([seq([oid(OID.O), utf8(subject.O)])]), set([seq([oid(OID.CN), utf8(subject.CN)])])]);
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return seq([oid(id), ...(critical ? [bool(true)] : []), octets(asn1.toDer(value).getBytes())]);
}

const spki = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'der' });
const ecdsaWithSha256 = () => seq([oid(OID.ecdsaWithSha256)]);

function signed(body: Asn1, privateKey: KeyObject): Asn1 {
  const signature = sign('sha256', der(body), privateKey);
  return seq([body, ecdsaWithSha256(), bits(`\x00${signature.toString('binary')}`)]);
}

/** The TBSCertificate's fields of a certificate: [version, serial, alg, issuer, validity, subject, spki, ext]. */
function tbsFields(certificate: X509Certificate): Asn1[] {
  const tbs = (fromDer(certificate.raw).value as Asn1[])[0] as Asn1;
  return tbs.value as Asn1[];
}

/** The sub-CA's subjectKeyIdentifier, which each certificate it issues names as its authority key. */
function subjectKeyIdentifier(certificate: X509Certificate): string | null {
  const explicit = tbsFields(certificate).find(
    (field) => field.tagClass === asn1.Class.CONTEXT_SPECIFIC && field.type === 3,
  );
  const extensions = ((explicit?.value as Asn1[] | undefined)?.[0]?.value as Asn1[] | undefined) ?? [];
  for (const entry of extensions) {
    const [id, ...rest] = entry.value as Asn1[];
    if (!id || asn1.derToOid(forge.util.createBuffer(id.value as string)) !== OID.subjectKeyIdentifier) continue;
    const wrapped = rest.at(-1)?.value as string;
    return fromDer(Buffer.from(wrapped, 'binary')).value as string;
  }
  return null;
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive, as RFC 5280 requires
  return bytes.toString('binary');
}

export interface DeviceCertificate {
  /** PEM private key and certificate, as node:https takes them. */
  key: string;
  cert: string;
}

/** RoboMake's device CA: its key stays in the factory; the platform root signs its request. */
export class ManufacturerCa {
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private certificate: X509Certificate | null = null;

  constructor(
    readonly manufacturer: string,
    readonly commonName: string,
  ) {}

  /** The PKCS#10 request (subject O = the manufacturer) the platform root is asked to sign. */
  csrPem(): string {
    const info = seq([
      integer(asn1.integerToDer(0).getBytes()),
      nameNode({ O: this.manufacturer, CN: this.commonName }),
      fromDer(spki(this.keys.publicKey)),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
    ]);
    return toPem('CERTIFICATE REQUEST', der(signed(info, this.keys.privateKey)));
  }

  /** Installs the certificate the platform issued for the request; it must carry our key. */
  adopt(certificatePem: string): X509Certificate {
    const certificate = new X509Certificate(certificatePem);
    if (!certificate.publicKey.equals(this.keys.publicKey)) {
      throw new Error('the issued sub-CA certificate does not carry the requested key');
    }
    this.certificate = certificate;
    return certificate;
  }

  /** A device client certificate: O = the manufacturer, CN = the serial (seed 002 "Subject DN"). */
  issueDevice(serial: string, validDays = 365): DeviceCertificate {
    const ca = this.certificate;
    if (!ca) throw new Error('the sub-CA has no certificate yet');
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Date.now();
    const authorityKey =
      subjectKeyIdentifier(ca) ?? createHash('sha1').update(spki(this.keys.publicKey)).digest('binary');
    const extensions = [
      extension(OID.basicConstraints, true, seq([])),
      // digitalSignature, keyEncipherment: bits 0 and 2 → 0xa0, five unused bits.
      extension(OID.keyUsage, true, bits('\x05\xa0')),
      extension(OID.extKeyUsage, false, seq([oid(OID.clientAuth)])),
      extension(
        OID.subjectKeyIdentifier,
        false,
        octets(createHash('sha1').update(spki(keys.publicKey)).digest('binary')),
      ),
      extension(
        OID.authorityKeyIdentifier,
        false,
        seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, authorityKey)]),
      ),
    ];
    const tbs = seq([
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(asn1.integerToDer(2).getBytes())]),
      integer(serialNumber()),
      ecdsaWithSha256(),
      // The issuer is the sub-CA's subject exactly as the platform encoded it.
      tbsFields(ca)[5] as Asn1,
      seq([utcTime(new Date(now - DAY_MS)), utcTime(new Date(now + validDays * DAY_MS))]),
      nameNode({ O: this.manufacturer, CN: serial }),
      fromDer(spki(keys.publicKey)),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(extensions)]),
    ]);
    return {
      key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      cert: toPem('CERTIFICATE', der(signed(tbs, this.keys.privateKey))),
    };
  }
}
