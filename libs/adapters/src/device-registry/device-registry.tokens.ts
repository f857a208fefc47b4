/** The parsed, frozen DeviceRegistryConfig. */
export const DEVICE_REGISTRY_CONFIG = Symbol('DEVICE_REGISTRY_CONFIG');
