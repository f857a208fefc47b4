export { OrgModule } from './lib/org.module.js';
export { OrgPermission } from './lib/org.permissions.js';
