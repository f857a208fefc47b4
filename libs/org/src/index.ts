export { OrgModule } from './lib/org.module.js';
export { OrgPermission } from './lib/org.permissions.js';
export { orgConfigSchema, type OrgConfig } from './lib/org.config.js';
