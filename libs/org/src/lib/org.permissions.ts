/**
 * Permissions the org endpoints check. Platform admins hold every permission (PermissionsGuard);
 * `devices.read` is the name seed 001's permission boundaries already use.
 */
export const OrgPermission = {
  accountsRead: 'accounts.read',
  accountsWrite: 'accounts.write',
  serviceUsersRead: 'service-users.read',
  serviceUsersWrite: 'service-users.write',
  devicesRead: 'devices.read',
  /** Batch transfers; provisioning checks write access to each device with the caller's token. */
  devicesWrite: 'devices.write',
} as const;
