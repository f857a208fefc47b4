import type { DeviceCredentials } from './backends/device-backends.js';

/** An enrollment request (the seed's snake_case body, parsed). */
export interface EnrollRequest {
  scenario: 'factory' | 'assembly' | 'field';
  deviceType: string;
  manufacturer?: string | undefined;
  serial: string;
  parentSerial?: string | undefined;
  firmwareVersion?: string | undefined;
  model?: string | undefined;
  revision?: string | undefined;
  capabilities?: string[] | undefined;
  /** Absent: UTC for a new device, the current zone for a re-provisioned one. */
  timezone?: string | undefined;
  claimToken?: string | undefined;
  preSharedToken?: string | undefined;
}

/** What an enrollment answers (seed 002; the response shape). Plain JSON: it is replayed. */
export interface EnrollmentResult {
  deviceId: string;
  state: string;
  accountId: string;
  credentials: DeviceCredentials;
}
