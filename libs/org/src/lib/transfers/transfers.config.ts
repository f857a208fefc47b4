/** The OrgConfig the transfer façade uses (OrgModule.forRoot's, or the platform defaults). */
export const TRANSFERS_CONFIG = Symbol('TRANSFERS_CONFIG');
