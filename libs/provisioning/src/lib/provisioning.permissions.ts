/**
 * Permissions the provisioning endpoints check (platform admins hold every one). `devices.read`
 * is the name seed 001's permission boundaries and the org service already use.
 */
export const ProvisioningPermission = {
  devicesRead: 'devices.read',
  devicesWrite: 'devices.write',
  claimTokensRead: 'claim-tokens.read',
  claimTokensWrite: 'claim-tokens.write',
  manufacturerCasWrite: 'manufacturer-cas.write',
} as const;
