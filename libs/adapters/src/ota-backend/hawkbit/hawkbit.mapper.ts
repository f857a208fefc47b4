import type { HawkbitModuleType, HawkbitSetType } from './hawkbit.types.js';

/**
 * OTA Forge's free module types onto hawkBit's built-in ones: `os` stays the firmware part (one
 * per set), everything else is an application. Devices then see hawkBit's part names.
 */
export function hawkbitModuleType(part: string): HawkbitModuleType {
  return part.toLowerCase() === 'os' ? 'os' : 'application';
}

/** The built-in distribution set type that admits these parts. */
export function hawkbitSetType(parts: string[]): HawkbitSetType {
  const types = parts.map(hawkbitModuleType);
  const hasOs = types.includes('os');
  const hasApp = types.includes('application');
  return hasOs && hasApp ? 'os_app' : hasOs ? 'os' : 'app';
}

/** Metadata values are strings: lists joined with commas, absent values removed. */
export function metadataValue(value: string | string[] | null): string | null {
  if (value === null) return null;
  return Array.isArray(value) ? value.join(',') : value;
}
