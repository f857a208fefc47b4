/**
 * The attributes a targeting expression may name: seed 000 §2's attribute table plus what OTA
 * Forge's targets carry. Each attribute has a kind that fixes its operators and comparison rules:
 *
 * - `folded`  (type, model, manufacturer): `=`, `!=`, IN, NOT IN; case-insensitive, because makers
 *   write "AMR" and "amr" for the same class and a policy must not miss robots over casing.
 * - `ordered` (revision, serial, firmware_version, software_version): every operator; `=`/`!=`/IN
 *   exact (case-sensitive), `< <= > >=` in natural order (seed 000 §2: `revision >= "r3"`).
 * - `exact`   (account, org, timezone): identifiers; `=`, `!=`, IN, NOT IN, case-sensitive.
 * - `list`    (capabilities): `=` means "contains", `!=` "does not contain", IN "contains any",
 *   NOT IN "contains none"; case-sensitive.
 */
export const ATTRIBUTE_KINDS = {
  type: 'folded',
  model: 'folded',
  revision: 'ordered',
  manufacturer: 'folded',
  serial: 'ordered',
  firmware_version: 'ordered',
  // The installed version of the software the policy concerns; absent when it is not installed.
  software_version: 'ordered',
  capabilities: 'list',
  account: 'exact',
  org: 'exact',
  timezone: 'exact',
} as const;

export type Attribute = keyof typeof ATTRIBUTE_KINDS;
export type AttributeKind = (typeof ATTRIBUTE_KINDS)[Attribute];
export type AttributeOfKind<K extends AttributeKind> = {
  [A in Attribute]: (typeof ATTRIBUTE_KINDS)[A] extends K ? A : never;
}[Attribute];
export type ListAttribute = AttributeOfKind<'list'>;
export type ScalarAttribute = Exclude<Attribute, ListAttribute>;

export const ATTRIBUTES = Object.keys(ATTRIBUTE_KINDS) as Attribute[];

// Attribute names, like keywords, are matched case-insensitively; the canonical name is stored.
const NAMES = new Map<string, Attribute>([
  ...ATTRIBUTES.map((name): [string, Attribute] => [name, name]),
  ['firmwareversion', 'firmware_version'],
]);

export function lookupAttribute(name: string): Attribute | undefined {
  return NAMES.get(name.toLowerCase());
}

/**
 * The device attributes an expression is evaluated against. `null`/absent means unknown: every
 * comparison on it is false (SQL NULL semantics), so the predicate and the SQL agree.
 */
export type TargetAttributes = { readonly [A in ScalarAttribute]?: string | null } & {
  readonly [A in ListAttribute]?: readonly string[] | null;
};

/**
 * Case folding for `folded` attributes. JavaScript's locale-independent lower-casing; the SQL
 * tier compares a column the caller fills with this same function, so the database's locale and
 * its `lower()` never decide a match.
 */
export function foldCase(value: string): string {
  return value.toLowerCase();
}

const unchanged = (value: string) => value;

/** The form in which `=`, `!=` and IN compare an attribute's values: folded or as they are. */
export function equalityForm(attribute: Attribute): (value: string) => string {
  return ATTRIBUTE_KINDS[attribute] === 'folded' ? foldCase : unchanged;
}

/** Limits that keep parsing, storage and evaluation bounded. */
export const POLICY_LIMITS = { maxLength: 4000, maxDepth: 32, maxInValues: 500 } as const;
