export {
  DRIVERS,
  openTestDatabase,
  POSTGRES_AVAILABLE,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from './lib/test-database.js';
export { waitFor } from './lib/wait-for.js';
export { INFRA_ENV_FILE, infraEnv, realServer } from './lib/infra-env.js';
export { ThingsboardFake, type ThingsboardFakeOptions } from './lib/thingsboard-fake/thingsboard-fake.js';
export { freePort, freePortRun } from './lib/free-port.js';
export { runAppExpectingExit, startAppProcess, type AppProcess } from './lib/app-process.js';
export {
  OtaForgeFake,
  type OtaForgeFakeOptions,
  type OtaForgeFakeTarget,
} from './lib/ota-forge-fake/ota-forge-fake.js';
export { startPrivateKafka, type PrivateKafka } from './lib/private-kafka.js';
export {
  startServiceHarness,
  type HarnessAnswer,
  type PublishedEvent,
  type ServiceHarness,
  type ServiceHarnessOptions,
} from './lib/service-harness/service-harness.js';
export {
  WebhookReceiver,
  type ReceivedWebhook,
  type ReceiverBehaviour,
} from './lib/service-harness/webhook-receiver.js';
export {
  ReportingApiFake,
  type LicenseReportBody,
  type OtaSoftwareReportBody,
  type ReportingApiFakeOptions,
} from './lib/reporting-fakes/reporting-api-fake.js';
export { TestDatabaseModule } from './lib/test-database.module.js';
export { clientCredentialsToken } from './lib/client-credentials-token.js';
export {
  startDistributedPlatform,
  type AdminCredentials,
  type DistributedPlatform,
} from './lib/distributed-platform.js';
