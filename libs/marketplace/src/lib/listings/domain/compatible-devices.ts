import { parsePolicy, PolicySyntaxError } from '@flexgalaxy/targeting';
import { InvalidCompatibleDevicesError } from '../listings.errors.js';

/**
 * Checks a compatible-device expression with the OTA policy language's own parser, so a listing
 * says nothing OTA Forge could not evaluate. Returns the expression as written.
 */
export function validCompatibleDevices(expression: string): string {
  try {
    parsePolicy(expression);
    return expression;
  } catch (error) {
    if (error instanceof PolicySyntaxError) throw new InvalidCompatibleDevicesError(error.message, error.details);
    throw error;
  }
}
