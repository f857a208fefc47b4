import { createHash } from 'node:crypto';

/** sha256 (hex) of a DDI TargetToken: the only form in which a token is stored or looked up. */
export function hashTargetToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
