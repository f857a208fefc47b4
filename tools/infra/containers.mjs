// The real servers as Testcontainers, where a Docker engine exists: the same images and host ports
// as docker-compose.yml, the same variables as `.infra/env`. Used by Jest's global setup
// (tools/infra/jest-global-setup.mjs) when no server is configured and an engine answers; on this
// project's machines (no engine) `infra:up` runs them from Maven packages instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';

const REALM_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'keycloak', 'flexgalaxy-realm.json');

/** Why no container can start here, or null when a Docker engine answers. */
export async function dockerEngineAbsence() {
  try {
    await getContainerRuntimeClient();
    return null;
  } catch (error) {
    return `no Docker engine (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

function kafka() {
  return new GenericContainer('apache/kafka:3.9.2')
    .withExposedPorts({ container: 19092, host: 19092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'INTERNAL://:9092,CONTROLLER://:9093,EXTERNAL://:19092',
      KAFKA_ADVERTISED_LISTENERS: 'INTERNAL://localhost:9092,EXTERNAL://127.0.0.1:19092',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/));
}

function keycloak() {
  return new GenericContainer('quay.io/keycloak/keycloak:26.7.3')
    .withExposedPorts({ container: 8080, host: 18080 })
    .withEnvironment({ KC_BOOTSTRAP_ADMIN_USERNAME: 'admin', KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin' })
    .withCopyFilesToContainer([{ source: REALM_FILE, target: '/opt/keycloak/data/import/flexgalaxy-realm.json' }])
    .withCommand(['start-dev', '--import-realm', '--http-port=8080'])
    .withWaitStrategy(Wait.forHttp('/realms/flexgalaxy/.well-known/openid-configuration', 8080))
    .withStartupTimeout(300_000);
}

function hawkbit() {
  return new GenericContainer('hawkbit/hawkbit-update-server:0.3.0M7')
    .withExposedPorts({ container: 8080, host: 18090 })
    .withEnvironment({
      SPRING_APPLICATION_JSON: JSON.stringify({
        'hawkbit.server.ddi.security.authentication.targettoken.enabled': true,
        'hawkbit.dmf.rabbitmq.enabled': false,
      }),
    })
    .withWaitStrategy(Wait.forHttp('/rest/v1/targets?limit=1', 8080).withBasicCredentials('admin', 'admin'))
    .withStartupTimeout(300_000);
}

/** Starts Kafka, Keycloak and hawkBit; returns their `.infra/env` variables and how to stop them. */
export async function startContainers() {
  const started = await Promise.all([kafka().start(), keycloak().start(), hawkbit().start()]);
  return {
    env: {
      KAFKA_BROKERS: '127.0.0.1:19092',
      KEYCLOAK_URL: 'http://127.0.0.1:18080',
      KEYCLOAK_REALM: 'flexgalaxy',
      KEYCLOAK_ADMIN_USER: 'admin',
      KEYCLOAK_ADMIN_PASSWORD: 'admin',
      KEYCLOAK_TEST_CLIENT_ID: 'flexgalaxy-admin',
      KEYCLOAK_TEST_CLIENT_SECRET: 'flexgalaxy-admin-secret',
      OIDC_ISSUER_URL_KEYCLOAK: 'http://127.0.0.1:18080/realms/flexgalaxy',
      HAWKBIT_URL: 'http://127.0.0.1:18090',
      HAWKBIT_TENANT: 'DEFAULT',
      HAWKBIT_USER: 'admin',
      HAWKBIT_PASSWORD: 'admin',
    },
    stop: () => Promise.all(started.map((container) => container.stop())),
  };
}
