import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

// node-forge signs certificates with RSA only; TrustMint's CA is ECDSA P-256. So forge's ASN.1
// encoder builds the RFC 5280 structures and node:crypto makes the ECDSA signature.
const { asn1 } = forge;
const UNIVERSAL = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
} as const;

type Node = forge.asn1.Asn1;

const sequence = (...items: Node[]): Node => asn1.create(UNIVERSAL, T.SEQUENCE, true, items);
const oid = (id: string): Node => asn1.create(UNIVERSAL, T.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: string): Node => asn1.create(UNIVERSAL, T.OCTETSTRING, false, bytes);
const bool = (value: boolean): Node => asn1.create(UNIVERSAL, T.BOOLEAN, false, value ? '\xff' : '\x00');
const der = (node: Node): string => asn1.toDer(node).getBytes();
const binary = (buffer: Buffer): string => buffer.toString('binary');

/** A positive INTEGER from big-endian bytes (a leading 0x00 keeps the sign bit clear). */
function integer(bytes: Buffer): Node {
  const value = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return asn1.create(UNIVERSAL, T.INTEGER, false, binary(value));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(date: Date): Node {
  return date.getUTCFullYear() < 2050
    ? asn1.create(UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(UNIVERSAL, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

function name(dn: DistinguishedName): Node {
  const attribute = (type: string, value: string) =>
    asn1.create(UNIVERSAL, T.SET, true, [
      sequence(oid(type), asn1.create(UNIVERSAL, T.UTF8, false, forge.util.encodeUtf8(value))),
    ]);
  return sequence(
    ...(dn.organization ? [attribute(OID.organization, dn.organization)] : []),
    ...(dn.organizationalUnit ? [attribute(OID.organizationalUnit, dn.organizationalUnit)] : []),
    attribute(OID.commonName, dn.commonName),
  );
}

function extension(id: string, critical: boolean, value: Node): Node {
  return sequence(oid(id), ...(critical ? [bool(true)] : []), octets(der(value)));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = asn1.fromDer(forge.util.createBuffer(binary(publicKey.export({ type: 'spki', format: 'der' }))));
  const bits = (spki.value as Node[])[1]!.value as string;
  // Skip the BIT STRING's "unused bits" octet.
  return createHash('sha1')
    .update(Buffer.from(bits.slice(1), 'binary'))
    .digest();
}

export interface CertificateSpec {
  subject: DistinguishedName;
  subjectPublicKey: KeyObject;
  issuer: DistinguishedName;
  issuerPrivateKey: KeyObject;
  /** The issuer's key identifier; equal to the subject's for a self-signed certificate. */
  issuerKeyId: Buffer;
  serialNumber: Buffer;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** URIs for the subjectAltName extension (urn:flexgalaxy:…). */
  uris?: string[];
}

/** Builds and signs an X.509 v3 certificate with ECDSA-SHA256; returns it as PEM. */
export function issueCertificate(spec: CertificateSpec): string {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const spki = asn1.fromDer(
    forge.util.createBuffer(binary(spec.subjectPublicKey.export({ type: 'spki', format: 'der' }))),
  );
  const extensions: Node[] = [
    extension(OID.basicConstraints, true, spec.isCa ? sequence(bool(true)) : sequence()),
    // digitalSignature (+ keyCertSign, cRLSign for the CA), as a BIT STRING with its unused-bit count.
    extension(OID.keyUsage, true, asn1.create(UNIVERSAL, T.BITSTRING, false, spec.isCa ? '\x01\x86' : '\x07\x80')),
    extension(OID.subjectKeyIdentifier, false, octets(binary(keyIdentifier(spec.subjectPublicKey)))),
    extension(OID.authorityKeyIdentifier, false, sequence(asn1.create(CONTEXT, 0, false, binary(spec.issuerKeyId)))),
  ];
  if (spec.uris?.length) {
    extensions.push(
      extension(OID.subjectAltName, false, sequence(...spec.uris.map((uri) => asn1.create(CONTEXT, 6, false, uri)))),
    );
  }
  const tbs = sequence(
    asn1.create(CONTEXT, 0, true, [integer(Buffer.from([2]))]),
    integer(spec.serialNumber),
    algorithm,
    name(spec.issuer),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spki,
    asn1.create(CONTEXT, 3, true, [sequence(...extensions)]),
  );
  const tbsDer = Buffer.from(der(tbs), 'binary');
  const signature = sign('sha256', tbsDer, { key: spec.issuerPrivateKey, dsaEncoding: 'der' });
  const certificate = sequence(
    tbs,
    sequence(oid(OID.ecdsaWithSha256)),
    asn1.create(UNIVERSAL, T.BITSTRING, false, `\x00${binary(signature)}`),
  );
  const body = Buffer.from(der(certificate), 'binary').toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** 16 random bytes, top bit cleared: a positive serial of at most 20 octets (RFC 5280 §4.1.2.2). */
export function newSerialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f || 0x01;
  return serial;
}

/** "No well-defined expiration date" (RFC 5280 §4.1.2.5). */
export const NO_EXPIRY = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}
