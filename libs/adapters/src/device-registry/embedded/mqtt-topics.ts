/** ThingsBoard's device MQTT API (v1 topics), which devices written for ThingsBoard already speak. */
export const DEVICE_TELEMETRY_TOPIC = 'v1/devices/me/telemetry';
export const DEVICE_ATTRIBUTES_TOPIC = 'v1/devices/me/attributes';

/** The only filters a device may subscribe to; any other gets SUBACK 0x80, as from ThingsBoard. */
export const DEVICE_SUBSCRIPTION_FILTERS: ReadonlySet<string> = new Set([
  'v1/devices/me/attributes',
  'v1/devices/me/attributes/response/+',
  'v1/devices/me/rpc/request/+',
]);

/**
 * Where a device's PUBLISH is re-addressed once the broker has consumed it. "me" topics name a
 * different device for each publisher, so routing them as-is would hand device A's attributes to
 * device B's subscription; no device can subscribe to this topic, so nothing is ever routed,
 * retained or queued for an offline session.
 */
export const CONSUMED_TOPIC = '$flexgalaxy/consumed';
