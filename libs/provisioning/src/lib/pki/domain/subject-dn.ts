/**
 * Reading a device's identity from its certificate's Subject DN (seed 002: "extracts the
 * manufacturer and serial number from the certificate's Subject DN").
 *
 * The rule, documented for manufacturers:
 * - manufacturer = the organisation (O) attribute; it must match the O of the registered
 *   manufacturer CA that issued the certificate, so a maker can only speak for itself;
 * - serial = the serialNumber (2.5.4.5) attribute when present, else the common name (CN).
 *
 * Input is node:crypto's `X509Certificate.subject` rendering: one attribute per line
 * (`O=syrius\nCN=CTRL-2024-001`), multi-valued RDNs joined with " + ", special characters escaped
 * RFC 2253-style with a backslash (`\,`, `\+`) or as hex (`\0A`).
 */

export type DnAttributes = Record<string, string[]>;

export interface SubjectIdentity {
  manufacturer: string | null;
  serial: string | null;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text.slice(i, i + 2);
      i += 1;
    } else if (text.startsWith(separator, i)) {
      parts.push(current);
      current = '';
      i += separator.length - 1;
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string;
    if (char === '\\' && i + 1 < value.length) {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(value[i + 1] as string, 'utf8'));
        i += 1;
      }
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Every attribute of the DN, by name, in order of appearance. */
export function parseDn(subject: string): DnAttributes {
  const attributes: DnAttributes = {};
  for (const line of splitUnescaped(subject, '\n')) {
    for (const pair of splitUnescaped(line, ' + ')) {
      if (pair.trim() === '') continue;
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      (attributes[name] ??= []).push(unescape(pair.slice(equals + 1)));
    }
  }
  return attributes;
}

const first = (attributes: DnAttributes, name: string): string | null => {
  const value = attributes[name]?.[0]?.trim();
  return value ? value : null;
};

/** Manufacturer (O) and serial (serialNumber, else CN) of a device certificate's subject. */
export function subjectIdentity(subject: string): SubjectIdentity {
  const attributes = parseDn(subject);
  return {
    manufacturer: first(attributes, 'O'),
    serial: first(attributes, 'serialNumber') ?? first(attributes, 'CN'),
  };
}

/** Manufacturer names compare without regard to case or surrounding space ("Syrius" = "syrius"). */
export function sameManufacturer(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
