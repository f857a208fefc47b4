import { createHash, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/**
 * X.509 issuance for the platform's own CA work. node:crypto verifies certificates but cannot
 * issue them, and node-forge's certificate API signs with RSA only, while the platform uses ECDSA
 * P-256 by default. So the structures are encoded here with node-forge's DER encoder (forge.asn1)
 * and signed with node:crypto (ECDSA-with-SHA256, or SHA-256 with RSA for an RSA issuer key).
 * Everything produced is checked by node:crypto's own parser (X509Certificate) in the tests.
 */

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** Subject / issuer attributes, in the order they are written (C, O, OU, CN, serialNumber). */
export interface DistinguishedName {
  C?: string;
  O?: string;
  OU?: string;
  CN?: string;
  serialNumber?: string;
}

const NAME_ORDER: (keyof DistinguishedName)[] = ['C', 'O', 'OU', 'CN', 'serialNumber'];

export interface IssueCertificateInput {
  subject: DistinguishedName;
  publicKey: KeyObject;
  issuer: {
    /** The issuer's subject (for a self-signed root, the same as `subject`). */
    name: DistinguishedName | Buffer;
    privateKey: KeyObject;
    publicKey: KeyObject;
  };
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate (basicConstraints cA, keyCertSign); `pathLength` limits the CAs below it. */
  ca?: { pathLength?: number };
  /** Leaf usage: TLS client (devices), TLS server (the device listener), or both. */
  usage?: ('client' | 'server')[];
  /** DNS names / IP addresses of a server certificate. */
  altNames?: string[];
}

const seq = (items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const bits = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, bytes);
const integerBytes = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
const bool = (value: boolean) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, value ? '\xff' : '\x00');
const der = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// BIT STRINGs are kept as bytes (forge would otherwise try to parse a public key as ASN.1);
// the options form of fromDer exists at run time, its typings only know the old boolean.
const fromDerWithOptions = asn1.fromDer as unknown as (
  bytes: forge.util.ByteStringBuffer,
  options: { decodeBitStrings: boolean },
) => Asn1;
const fromDer = (buffer: Buffer) =>
  fromDerWithOptions(forge.util.createBuffer(buffer.toString('binary')), { decodeBitStrings: false });

function smallInteger(value: number): Asn1 {
  return integerBytes(asn1.integerToDer(value).getBytes());
}

function time(date: Date): Asn1 {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function nameNode(name: DistinguishedName): Asn1 {
  const rdns = NAME_ORDER.filter((key) => name[key] !== undefined).map((key) => {
    const value = name[key] as string;
    // Country and serialNumber are PrintableString (RFC 5280 appendix A); the rest UTF8String.
    const printable = key === 'C' || (key === 'serialNumber' && /^[A-Za-z0-9 '()+,./:=?-]*$/.test(value));
    const type = printable ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8;
    const encoded = printable ? value : forge.util.encodeUtf8(value);
    return set([seq([oid(OID[key]), asn1.create(asn1.Class.UNIVERSAL, type, false, encoded)])]);
  });
  return seq(rdns);
}

function spkiNode(publicKey: KeyObject): Asn1 {
  return fromDer(publicKey.export({ type: 'spki', format: 'der' }));
}

function keyIdentifier(publicKey: KeyObject): string {
  // RFC 5280 §4.2.1.2 allows any unique method; sha1 of the whole SPKI is stable and simple.
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
    .toString('binary');
}

function signatureAlgorithm(privateKey: KeyObject): Asn1 {
  // ECDSA's AlgorithmIdentifier has no parameters (RFC 5758 §3.2); RSA's carries NULL.
  if (privateKey.asymmetricKeyType === 'ec') return seq([oid(OID.ecdsaWithSha256)]);
  if (privateKey.asymmetricKeyType === 'rsa') {
    return seq([oid(OID.sha256WithRsa), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  }
  throw new Error(`unsupported issuer key type ${privateKey.asymmetricKeyType ?? 'unknown'}`);
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return seq([oid(id), ...(critical ? [bool(true)] : []), octets(asn1.toDer(value).getBytes())]);
}

function altName(name: string): Asn1 {
  const family = isIP(name);
  if (family === 4) {
    const bytes = name.split('.').map((part) => String.fromCharCode(Number(part)));
    return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, bytes.join(''));
  }
  if (family === 6) throw new Error('IPv6 subject alternative names are not supported');
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name);
}

function extensions(input: IssueCertificateInput): Asn1[] {
  const list: Asn1[] = [];
  if (input.ca) {
    const constraints: Asn1[] = [bool(true)];
    if (input.ca.pathLength !== undefined) constraints.push(smallInteger(input.ca.pathLength));
    list.push(extension(OID.basicConstraints, true, seq(constraints)));
    // digitalSignature, keyCertSign, cRLSign: bits 0, 5, 6 → 0x86, one unused bit.
    list.push(extension(OID.keyUsage, true, bits('\x01\x86')));
  } else {
    list.push(extension(OID.basicConstraints, true, seq([])));
    // digitalSignature, keyEncipherment: bits 0, 2 → 0xa0, five unused bits.
    list.push(extension(OID.keyUsage, true, bits('\x05\xa0')));
    const usages = (input.usage ?? ['client']).map((usage) =>
      oid(usage === 'client' ? OID.clientAuth : OID.serverAuth),
    );
    list.push(extension(OID.extKeyUsage, false, seq(usages)));
  }
  list.push(extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(input.publicKey))));
  list.push(
    extension(
      OID.authorityKeyIdentifier,
      false,
      seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyIdentifier(input.issuer.publicKey))]),
    ),
  );
  if (input.altNames?.length) list.push(extension(OID.subjectAltName, false, seq(input.altNames.map(altName))));
  return list;
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive, as RFC 5280 requires
  return bytes.toString('binary');
}

export function toPem(label: string, derBytes: Buffer): string {
  const body = derBytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/** Issues a certificate (self-signed when the issuer is the subject); returns its PEM. */
export function issueCertificate(input: IssueCertificateInput): string {
  const algorithm = signatureAlgorithm(input.issuer.privateKey);
  const issuerName = Buffer.isBuffer(input.issuer.name) ? fromDer(input.issuer.name) : nameNode(input.issuer.name);
  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [smallInteger(2)]),
    integerBytes(serialNumber()),
    algorithm,
    issuerName,
    seq([time(input.notBefore), time(input.notAfter)]),
    nameNode(input.subject),
    spkiNode(input.publicKey),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(extensions(input))]),
  ]);
  const signature = sign('sha256', der(tbs), input.issuer.privateKey);
  const certificate = seq([
    tbs,
    signatureAlgorithm(input.issuer.privateKey),
    bits(`\x00${signature.toString('binary')}`),
  ]);
  return toPem('CERTIFICATE', der(certificate));
}

/** The DER of a certificate's subject Name: what a certificate it issues names as issuer. */
export function subjectNameDer(certificate: X509Certificate): Buffer {
  const node = fromDer(certificate.raw);
  const tbs = (node.value as Asn1[])[0] as Asn1;
  return der((tbs.value as Asn1[])[5] as Asn1);
}

/** A PKCS#10 certificate signing request for `subject`, signed with the key pair's private key. */
export function createCsr(subject: DistinguishedName, publicKey: KeyObject, privateKey: KeyObject): string {
  const info = seq([
    smallInteger(0),
    nameNode(subject),
    spkiNode(publicKey),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  const signature = sign('sha256', der(info), privateKey);
  return toPem(
    'CERTIFICATE REQUEST',
    der(seq([info, signatureAlgorithm(privateKey), bits(`\x00${signature.toString('binary')}`)])),
  );
}

export interface ParsedCsr {
  subject: DistinguishedName;
  publicKey: KeyObject;
}

export class InvalidCsrError extends Error {}

const OID_NAMES = new Map<string, keyof DistinguishedName>(
  NAME_ORDER.map((key) => [OID[key], key] as [string, keyof DistinguishedName]),
);

function parseName(node: Asn1): DistinguishedName {
  const name: DistinguishedName = {};
  for (const rdn of node.value as Asn1[]) {
    for (const attribute of rdn.value as Asn1[]) {
      const [type, value] = attribute.value as Asn1[];
      const key = OID_NAMES.get(asn1.derToOid(forge.util.createBuffer(type?.value as string)));
      if (!key || !value) continue;
      const raw = value.value as string;
      name[key] = value.type === asn1.Type.UTF8 ? forge.util.decodeUtf8(raw) : raw;
    }
  }
  return name;
}

/** Parses a PEM CSR and checks its self-signature (proof that the requester holds the key). */
export function parseCsr(pem: string): ParsedCsr {
  const match = pem.match(/-----BEGIN CERTIFICATE REQUEST-----([\s\S]+?)-----END CERTIFICATE REQUEST-----/);
  if (!match?.[1]) throw new InvalidCsrError('not a PEM certificate request');
  try {
    const node = fromDer(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
    const [info, , signature] = node.value as Asn1[];
    if (!info || !signature) throw new InvalidCsrError('incomplete certificate request');
    const [, subject, spki] = info.value as Asn1[];
    if (!subject || !spki) throw new InvalidCsrError('incomplete certificate request');
    const publicKey = createPublicKey({ key: der(spki), format: 'der', type: 'spki' });
    const signatureBytes = Buffer.from((signature.value as string).slice(1), 'binary');
    if (!verify('sha256', der(info), publicKey, signatureBytes)) {
      throw new InvalidCsrError('the request is not signed by the key it carries');
    }
    return { subject: parseName(subject), publicKey };
  } catch (error) {
    if (error instanceof InvalidCsrError) throw error;
    throw new InvalidCsrError(`malformed certificate request: ${(error as Error).message}`);
  }
}

/** Splits a PEM bundle into its certificates (parsed by node:crypto); throws on anything else. */
export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
