import { z } from 'zod';
import type { DeviceUpdate, RegisterDeviceInput } from './device-registry.port.js';
import { InvalidDeviceRegistryInputError } from './device-registry.errors.js';

// 255: ThingsBoard's limit on device names and attribute keys; the embedded registry keeps the
// same limits so that a device accepted by one adapter is accepted by the other.
const identifier = z
  .string()
  .max(255)
  .regex(/^\S(.*\S)?$/s, 'must not be blank nor start or end with white space');
// ThingsBoard refuses a null attribute value ("Can't parse value"); refusing it here keeps both
// adapters alike. Nested nulls inside a JSON value are fine.
const attributes = z.record(
  identifier,
  z.json().refine((value) => value !== null, 'must not be null'),
);

const deviceIdSchema = identifier;

const registerSchema = z.object({
  deviceId: identifier,
  accountId: identifier,
  name: z.string().max(255),
  profile: identifier,
  attributes,
});

const updateSchema = z.object({
  accountId: identifier.optional(),
  profile: identifier.optional(),
  attributes: attributes.optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidDeviceRegistryInputError(
    result.error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
      message: issue.message,
    })),
  );
}

/** Validates a device id argument; both adapters call it before touching their backend. */
export function parseDeviceId(deviceId: string): string {
  return parse(deviceIdSchema, deviceId, 'deviceId');
}

export function parseRegisterDeviceInput(input: RegisterDeviceInput): RegisterDeviceInput {
  return parse(registerSchema, input) as RegisterDeviceInput;
}

export function parseDeviceUpdate(update: DeviceUpdate): DeviceUpdate {
  return parse(updateSchema, update) as DeviceUpdate;
}
