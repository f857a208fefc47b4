export { IdentityModule } from './identity/identity.module.js';
export { identityConfigSchema } from './identity/identity.config.js';
export type { IdentityConfig } from './identity/identity.config.js';
export { IDENTITY_PROVIDER } from './identity/identity-provider.port.js';
export type { IdentityProvider } from './identity/identity-provider.port.js';
export type { IdentityClient } from './identity/identity-provider.port.js';
export type { CreateIdentityClientInput } from './identity/identity-provider.port.js';
export type { IdentityClientUpdate } from './identity/identity-provider.port.js';
export type { IssuedClientCredentials } from './identity/identity-provider.port.js';
export type {
  AccountRole,
  AccountRolesDeclaration,
  AccountRolesOutcome,
  IdentityWriteOptions,
} from './identity/identity-provider.port.js';
export { IdentityClientNotFoundError } from './identity/identity-provider.errors.js';
export { IdentityClientConflictError } from './identity/identity-provider.errors.js';
export { InvalidIdentityClientError } from './identity/identity-provider.errors.js';
export { IdentityProviderUnavailableError } from './identity/identity-provider.errors.js';
export { DEFAULT_PLATFORM_ADMIN_CLIENT_ID } from './identity/bootstrap/platform-admin.bootstrap.js';
export { PLATFORM_ACCOUNT_ID } from './identity/bootstrap/platform-admin.bootstrap.js';
export { DeviceRegistryModule } from './device-registry/device-registry.module.js';
export { deviceRegistryConfigSchema } from './device-registry/device-registry.config.js';
export type { DeviceRegistryConfig } from './device-registry/device-registry.config.js';
export { DEVICE_REGISTRY_CONFIG } from './device-registry/device-registry.tokens.js';
export { DEVICE_REGISTRY } from './device-registry/device-registry.port.js';
export type { DeviceRegistry } from './device-registry/device-registry.port.js';
export type { RegisterDeviceInput } from './device-registry/device-registry.port.js';
export type { RegisteredDevice } from './device-registry/device-registry.port.js';
export type { DeviceUpdate } from './device-registry/device-registry.port.js';
export type { IssuedAccessToken } from './device-registry/device-registry.port.js';
export type { DeviceAttributes } from './device-registry/device-registry.port.js';
export type { LatestTelemetry } from './device-registry/device-registry.port.js';
export type { TelemetryValue } from './device-registry/device-registry.port.js';
export { DEVICE_TELEMETRY_FEED } from './device-registry/device-telemetry.feed.js';
export type { DeviceTelemetryFeed } from './device-registry/device-telemetry.feed.js';
export type { DeviceTelemetryEvent } from './device-registry/device-telemetry.feed.js';
export { DeviceNotFoundError } from './device-registry/device-registry.errors.js';
export { DeviceAlreadyRegisteredError } from './device-registry/device-registry.errors.js';
export { InvalidDeviceRegistryInputError } from './device-registry/device-registry.errors.js';
export { DeviceRegistryUnavailableError } from './device-registry/device-registry.errors.js';
export { DeviceRegistryRejectedError } from './device-registry/device-registry.errors.js';
export { EmbeddedMqttBroker } from './device-registry/embedded/embedded-mqtt-broker.js';
export { OtaTargetsModule } from './ota-targets/ota-targets.module.js';
export { otaTargetsConfigSchema } from './ota-targets/ota-targets.config.js';
export type { OtaTargetsConfig } from './ota-targets/ota-targets.config.js';
export { OTA_TARGETS } from './ota-targets/ota-targets.port.js';
export type {
  OtaTarget,
  OtaTargetAttributes,
  OtaTargetInput,
  OtaTargetPatch,
  OtaTargets,
} from './ota-targets/ota-targets.port.js';
export { OtaForgeTargetsClient } from './ota-targets/ota-forge/ota-forge-targets.client.js';
export { describeOtaTargetsContract, type OtaTargetsHarness } from './ota-targets/ota-targets.contract.js';
export {
  OtaBackendUnavailableError,
  OtaTargetNotFoundError,
  OtaTargetRejectedError,
} from './ota-targets/ota-targets.errors.js';
export {
  TELEMETRY_TYPES,
  TYPES_FOLLOWING_THE_DEVICE,
  telemetryTypeOf,
  type TelemetryTransferResult,
  type TelemetryTransferRules,
  type TelemetryType,
} from './device-registry/telemetry-types.js';
export { EmbeddedDeviceRegistry } from './device-registry/embedded/embedded-device-registry.js';
export { OTA_BACKEND } from './ota-backend/ota-backend.port.js';
export type {
  DdiForwardRequest,
  DdiForwardResponse,
  OtaBackend,
  OtaBackendAction,
  OtaBackendActionType,
  OtaBackendArtifact,
  OtaBackendModuleInput,
  OtaBackendTargetInput,
} from './ota-backend/ota-backend.port.js';
export { createOtaBackend } from './ota-backend/ota-backend.factory.js';
export { HawkbitOtaBackend } from './ota-backend/hawkbit/hawkbit-ota-backend.js';
export { hawkbitConfigSchema, type HawkbitConfig } from './ota-backend/hawkbit/hawkbit.config.js';
export { HawkbitRejectedError, HawkbitUnavailableError } from './ota-backend/hawkbit/hawkbit.errors.js';
