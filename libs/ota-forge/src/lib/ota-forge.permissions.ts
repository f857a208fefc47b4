/** Permissions the OTA endpoints check; platform admins hold every permission (PermissionsGuard). */
export const OtaPermission = {
  read: 'ota.read',
  write: 'ota.write',
} as const;
