/** The parsed, frozen IdentityConfig. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
