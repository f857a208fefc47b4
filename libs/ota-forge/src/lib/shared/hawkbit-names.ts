import { createHash } from 'node:crypto';

const TAGGED = /^[0-9a-f]{8}\./;

/**
 * hawkBit's module and set names are unique across the whole tenant, ours per account: the
 * owner's tag (a short hash of the account id) keeps two developers' "Nav 1.0" apart in hawkBit.
 */
export function hawkbitName(ownerAccountId: string, name: string): string {
  const tag = createHash('sha256').update(ownerAccountId).digest('hex').slice(0, 8);
  return `${tag}.${name}`.slice(0, 128);
}

/** Our name of a hawkBit module: what a device sees in the chunks, exactly as on the native DDI. */
export function ourName(hawkbitModuleName: string): string {
  return hawkbitModuleName.replace(TAGGED, '');
}
