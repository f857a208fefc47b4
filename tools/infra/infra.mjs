#!/usr/bin/env node
// Local infrastructure launcher: real Kafka, Keycloak and Eclipse hawkBit servers without Docker.
//
//   node tools/infra/infra.mjs up [kafka] [keycloak] [hawkbit]   (default: all three)
//   node tools/infra/infra.mjs down [server...]
//   node tools/infra/infra.mjs status
//   node tools/infra/infra.mjs clean [server...]   (stops them and deletes .infra/<server>/: fresh data next time)
//
// Needs only java, mvn and node. Every server package is fetched with `mvn` into the local Maven cache
// (~/.m2) and laid out under <repo>/.infra/<server>/ (pid file, log file, data). `.infra/env` gets
// KEY=VALUE lines for the running servers.
//
// Environment overrides (all optional):
//   INFRA_KAFKA_PORT=19092  INFRA_KAFKA_CONTROLLER_PORT=19093  INFRA_KEYCLOAK_PORT=18080
//   INFRA_KEYCLOAK_MANAGEMENT_PORT=18081  INFRA_HAWKBIT_PORT=18090
//   INFRA_KAFKA_VERSION / INFRA_KEYCLOAK_VERSION / INFRA_HAWKBIT_VERSION   (default: the version in the server's pom.xml)
//   INFRA_<SERVER>_JAVA_HOME       JDK to run that server with (default: picked automatically, see pickJava)
//   INFRA_<SERVER>_TIMEOUT=<s>     start-up timeout (kafka 90, keycloak 300, hawkbit 300)
//   INFRA_DIR=<dir>                where runtime folders, pid files and the env file go (default <repo>/.infra)
//   INFRA_STOP_TIMEOUT=<s>         SIGTERM grace period before SIGKILL on `down` (default 30)
//
// Plain Node.js ESM, built-ins only. kafkajs is used for the Kafka readiness check when it can be
// required from <repo>/node_modules (or NODE_PATH); otherwise a raw Kafka ApiVersions request is sent.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(SCRIPT_DIR, '..', '..');
// INFRA_DIR lets a test run a private server (own ports, own data) beside the shared ones.
const INFRA_DIR = process.env.INFRA_DIR ? path.resolve(process.env.INFRA_DIR) : path.join(REPO_ROOT, '.infra');
const ENV_FILE = path.join(INFRA_DIR, 'env');
const HOST = '127.0.0.1';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

// ---------------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rel = (p) => path.relative(process.cwd(), p) || '.';
const log = (server, msg) => console.log(`[infra] ${server ? `${server.padEnd(8)} ` : ''}${msg}`);

function intEnv(name, def) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new InfraError(`${name}=${raw} is not a valid port/number`);
  return n;
}

class InfraError extends Error {}

function readPomProperty(pomFile, prop) {
  const m = fs.readFileSync(pomFile, 'utf8').match(new RegExp(`<${prop.replace(/\./g, '\\.')}>([^<]+)</`));
  if (!m) throw new InfraError(`property ${prop} not found in ${pomFile}`);
  return m[1].trim();
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return '(no log file)';
  }
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function render(templateFile, values) {
  let text = fs.readFileSync(templateFile, 'utf8');
  for (const [k, v] of Object.entries(values)) text = text.split(`@${k}@`).join(String(v));
  return text;
}

async function httpGet(url, { headers = {}, timeoutMs = 3000 } = {}) {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = await res.text();
    return { status: res.status, body };
  } catch (e) {
    return { status: 0, body: '', error: e.cause?.code || e.name || String(e) };
  }
}

async function httpJson(method, url, { headers = {}, body, timeoutMs = 10000 } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

const basicAuth = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** Resolves when something accepts a TCP connection on HOST:port. */
function tcpOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** true if HOST:port can be bound right now (nobody listens on it, or on 0.0.0.0:port). */
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: HOST, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function whoListens(port) {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : '';
}

// ---------------------------------------------------------------------------------------------------
// processes: pid files, "is it ours", stop
// ---------------------------------------------------------------------------------------------------

function readPid(pidFile) {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Ports of a server: those recorded in .infra/<server>/state.json when that instance is still alive (so status,
 * down and .infra/env describe what actually runs even if the INFRA_*_PORT variables changed since), otherwise
 * the INFRA_*_PORT variables or the defaults. spec: { key: [ENV_NAME, default] }.
 */
function runtimePorts(dir, name, spec) {
  const fromEnv = Object.fromEntries(Object.entries(spec).map(([k, [env, def]]) => [k, intEnv(env, def)]));
  try {
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
    const pid = readPid(path.join(dir, `${name}.pid`));
    if (
      pid &&
      state.pid === pid &&
      groupAlive(pid) &&
      Object.keys(spec).every((k) => Number.isInteger(state.ports?.[k]))
    ) {
      return state.ports;
    }
  } catch {
    /* no state yet */
  }
  return fromEnv;
}

/** A pid counts as ours only if the process exists and its command line mentions its .infra/<server> folder. */
function pidIsOurs(pid, marker) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return cmdline.includes(marker);
  } catch {
    return true; // no /proc (not Linux): trust the pid file
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pgid, graceMs) {
  // Servers are started detached (setsid), so the pid is also the process-group id: signal the whole group
  // (kc.sh and its java child, for instance).
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return 'already gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return 'stopped (SIGTERM)';
    await sleep(250);
  }
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  for (let i = 0; i < 40 && groupAlive(pgid); i++) await sleep(250);
  return `killed (SIGKILL after ${Math.round(graceMs / 1000)}s)`;
}

// ---------------------------------------------------------------------------------------------------
// Java and Maven
// ---------------------------------------------------------------------------------------------------

const javaMajorCache = new Map();
function javaMajor(javaBin) {
  if (javaMajorCache.has(javaBin)) return javaMajorCache.get(javaBin);
  let major = null;
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  const m = `${r.stderr}${r.stdout}`.match(/version "(\d+)(?:\.(\d+))?/);
  if (r.status === 0 && m) major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  javaMajorCache.set(javaBin, major);
  return major;
}

/**
 * Picks the java binary for a server: INFRA_<SERVER>_JAVA_HOME if set; otherwise, with preferNewest, the newest
 * JDK (>= min) among JAVA_HOME, /usr/lib/jvm/* and `java` on PATH; without it, `java` on PATH (then JAVA_HOME)
 * when it is new enough, else the newest that is.
 */
function pickJava(server, min, preferNewest) {
  const override = process.env[`INFRA_${server.toUpperCase()}_JAVA_HOME`];
  if (override) {
    const bin = path.join(override, 'bin', 'java');
    const major = javaMajor(bin);
    if (!major) throw new InfraError(`INFRA_${server.toUpperCase()}_JAVA_HOME=${override}: ${bin} does not run`);
    return { bin, major };
  }
  const candidates = ['java'];
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  try {
    for (const d of fs.readdirSync('/usr/lib/jvm')) {
      const bin = path.join('/usr/lib/jvm', d, 'bin', 'java');
      if (fs.existsSync(bin)) candidates.push(bin);
    }
  } catch {
    /* no /usr/lib/jvm */
  }
  const usable = candidates.map((bin) => ({ bin, major: javaMajor(bin) })).filter((c) => c.major && c.major >= min);
  if (!usable.length) {
    throw new InfraError(
      `${server} needs Java ${min}+ and none was found (looked at java on PATH, JAVA_HOME, /usr/lib/jvm). Set INFRA_${server.toUpperCase()}_JAVA_HOME.`,
    );
  }
  if (!preferNewest) return usable[0];
  return usable.reduce((a, b) => (b.major > a.major ? b : a));
}

function runMvn(server, pom, goalArgs, logFile) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const args = ['-B', '-ntp', '-U', '-f', pom, ...goalArgs]; // -U: re-check artifacts Maven remembered as missing
    fs.writeSync(out, `$ mvn ${args.join(' ')}\n`);
    const child = spawn('mvn', args, { stdio: ['ignore', out, out], cwd: path.dirname(pom) });
    child.once('error', (e) => {
      fs.closeSync(out);
      reject(new InfraError(`${server}: cannot run mvn (${e.code || e.message}); Apache Maven must be on PATH`));
    });
    child.once('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) return resolve();
      const text = fs.readFileSync(logFile, 'utf8');
      const noise = /Re-run Maven|To see the full stack|For more information|\[Help \d\] http/;
      const errors = text
        .split('\n')
        .filter((l) => l.startsWith('[ERROR]') && l.trim() !== '[ERROR]' && !noise.test(l))
        .slice(0, 6);
      reject(
        new InfraError(
          `${server}: mvn failed (exit ${code}); full log: ${rel(logFile)}\n${errors.join('\n') || tail(logFile, 20)}`,
        ),
      );
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Kafka
// ---------------------------------------------------------------------------------------------------
// Version: Apache Kafka 3.9.2 (kafka_2.13), KRaft single node, run on the default JDK 17.
// Why not 4.x (4.0.0-4.4.0 are also on Maven Central): our client is kafkajs 2.2.4, which is unmaintained and
// only speaks old protocol versions (Produce <=7, Fetch <=11, OffsetCommit <=5, JoinGroup <=5, ...). Kafka 4.0
// removed old versions of several APIs (KIP-896); the cut-offs were chosen so kafkajs keeps working, but 4.0.0
// briefly also dropped JoinGroup v0-1 (restored in 4.0.1/4.1), which shows that every 4.x release is a new
// compatibility bet for an unmaintained client. 3.9.x is the last line that keeps *all* old protocol versions,
// runs on Java 17 and is still patched (3.9.2). It is verified here with a real kafkajs 2.2.4 round trip
// (tools/infra/smoke-kafka.mjs: topic create, idempotent produce, group consume + commit).
// Packaging: the kafka_2.13 POM has no SLF4J binding (the release tarball adds one), so kafka/pom.xml adds
// slf4j-reload4j 1.7.36 + reload4j 1.2.25 (what 3.9's tarball ships) and kafka/log4j.properties configures it.
// 4.4.0 was also tried (2026-11-23, same smoke test, passed). Switching to 4.x needs: log4j-slf4j-impl at the
// log4j-core version Maven resolves (2.25.5 for 4.4.0; the SLF4J 1.x binding, not log4j-slf4j2-impl), a log4j2
// config (-Dlog4j2.configurationFile) and share.coordinator.state.topic.replication.factor/min.isr=1.

function kafkaServer() {
  const name = 'kafka';
  const dir = path.join(INFRA_DIR, name);
  const pom = path.join(SCRIPT_DIR, 'kafka', 'pom.xml');
  const version = process.env.INFRA_KAFKA_VERSION || readPomProperty(pom, 'kafka.version');
  if (!/^3\./.test(version))
    throw new InfraError(`INFRA_KAFKA_VERSION=${version}: only 3.x is wired up (see the Kafka section of infra.mjs)`);
  const { port, controllerPort } = runtimePorts(dir, name, {
    port: ['INFRA_KAFKA_PORT', 19092],
    controllerPort: ['INFRA_KAFKA_CONTROLLER_PORT', 19093],
  });
  const libs = path.join(dir, 'libs');
  const dataDir = path.join(dir, 'data');
  const brokers = `${HOST}:${port}`;

  return {
    name,
    dir,
    version,
    pidFile: path.join(dir, `${name}.pid`),
    logFile: path.join(dir, `${name}.log`),
    marker: dir,
    portMap: { port, controllerPort },
    ports: [
      [port, 'broker'],
      [controllerPort, 'controller'],
    ],
    url: `kafka://${brokers}`,
    timeoutMs: intEnv('INFRA_KAFKA_TIMEOUT', 90) * 1000,
    fetchedMarker: path.join(libs, `.fetched-kafka-${version}`),
    describe: `org.apache.kafka:kafka_2.13:${version} (+ slf4j-reload4j)`,

    async fetch(mvnLog) {
      fs.rmSync(libs, { recursive: true, force: true });
      await runMvn(
        name,
        pom,
        [
          `${DEPENDENCY_PLUGIN}:copy-dependencies`,
          `-Dkafka.version=${version}`,
          '-DincludeScope=runtime',
          `-DoutputDirectory=${libs}`,
        ],
        mvnLog,
      );
    },

    async prepare() {
      const java = pickJava(name, 17, false);
      const props = path.join(dir, 'server.properties');
      fs.writeFileSync(
        props,
        render(path.join(SCRIPT_DIR, 'kafka', 'server.properties'), {
          BROKER_PORT: port,
          CONTROLLER_PORT: controllerPort,
          DATA_DIR: dataDir,
        }),
      );
      const log4j = path.join(dir, 'log4j.properties');
      fs.copyFileSync(path.join(SCRIPT_DIR, 'kafka', 'log4j.properties'), log4j);
      const cp = `${libs}/*`;
      const logOpts = [`-Dlog4j.configuration=file:${log4j}`, `-Dkafka.logs.dir=${path.join(dir, 'logs')}`];
      if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
        log(name, 'formatting KRaft storage (first start)');
        const id = spawnSync(java.bin, ['-cp', cp, ...logOpts, 'kafka.tools.StorageTool', 'random-uuid'], {
          encoding: 'utf8',
        });
        const clusterId = id.stdout.trim().split('\n').pop();
        if (id.status !== 0 || !/^[A-Za-z0-9_-]{22}$/.test(clusterId)) {
          throw new InfraError(`kafka: StorageTool random-uuid failed:\n${id.stderr}${id.stdout}`);
        }
        const fmt = spawnSync(
          java.bin,
          [
            '-cp',
            cp,
            ...logOpts,
            'kafka.tools.StorageTool',
            'format',
            '-t',
            clusterId,
            '-c',
            props,
            '--ignore-formatted',
          ],
          { encoding: 'utf8' },
        );
        if (fmt.status !== 0) throw new InfraError(`kafka: StorageTool format failed:\n${fmt.stderr}${fmt.stdout}`);
      }
      return {
        command: java.bin,
        args: [
          '-Xms256m',
          '-Xmx512m',
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-XX:InitiatingHeapOccupancyPercent=35',
          '-XX:+ExplicitGCInvokesConcurrent',
          '-Djava.awt.headless=true',
          ...logOpts,
          '-cp',
          cp,
          'kafka.Kafka',
          props,
        ],
        env: { ...process.env },
        note: `Java ${java.major}, heap 512m`,
      };
    },

    health: () => kafkaHealthy(brokers),
    async verify() {
      // Warm-up after a fresh start: makes the broker create/load __consumer_offsets (group coordinator) and
      // allocate a producer id (idempotent producers), so the first test does not wait on "coordinator is loading".
      const kjs = loadKafkajs();
      if (!kjs) return;
      const t0 = Date.now();
      const kafka = new kjs.Kafka({
        clientId: 'infra-warmup',
        brokers: [brokers],
        logLevel: kjs.logLevel.NOTHING,
        retry: { retries: 8 },
      });
      const admin = kafka.admin();
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: kjs.Partitioners.DefaultPartitioner,
      });
      try {
        await admin.connect();
        await admin.describeGroups(['infra-warmup']);
        await producer.connect();
        log(name, `warm-up OK in ${Date.now() - t0}ms (group coordinator loaded, idempotent producer id allocated)`);
      } catch (e) {
        throw new InfraError(`kafka: healthy, but the kafkajs warm-up failed: ${e.message}`);
      } finally {
        await producer.disconnect().catch(() => {});
        await admin.disconnect().catch(() => {});
      }
    },
    envLines: () => [`KAFKA_BROKERS=${brokers}`],
  };
}

let kafkajsModule; // undefined = not tried, null = unavailable
function loadKafkajs() {
  if (kafkajsModule !== undefined) return kafkajsModule;
  try {
    // createRequire from the repo root finds <repo>/node_modules/kafkajs; require() also honours NODE_PATH.
    kafkajsModule = createRequire(path.join(REPO_ROOT, 'package.json'))('kafkajs');
  } catch {
    kafkajsModule = null;
  }
  return kafkajsModule;
}

async function kafkaHealthy(brokers) {
  const kjs = loadKafkajs();
  if (kjs) {
    const kafka = new kjs.Kafka({
      clientId: 'infra-health',
      brokers: [brokers],
      logLevel: kjs.logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const c = await admin.describeCluster();
      const ok = c.brokers.length > 0 && c.controller !== null && c.controller !== undefined;
      return {
        ok,
        detail: ok
          ? `kafkajs describeCluster: ${c.brokers.length} broker(s), controller ${c.controller}`
          : 'no controller yet',
      };
    } catch (e) {
      return { ok: false, detail: `kafkajs: ${e.message}` };
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
  const ok = await kafkaApiVersions(brokers);
  return {
    ok,
    detail: ok ? 'ApiVersions answered (kafkajs not installed, raw protocol check)' : 'broker not answering',
  };
}

/** Minimal Kafka ApiVersions v0 round trip over TCP (fallback when kafkajs is not installed). */
function kafkaApiVersions(hostPort, timeoutMs = 3000) {
  const [host, p] = hostPort.split(':');
  return new Promise((resolve) => {
    const clientId = Buffer.from('infra-health');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    let o = body.writeInt16BE(18, 0); // api key ApiVersions
    o = body.writeInt16BE(0, o); // version 0
    o = body.writeInt32BE(4242, o); // correlation id
    o = body.writeInt16BE(clientId.length, o);
    clientId.copy(body, o);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length, 0);
    const sock = net.connect({ host, port: Number(p) });
    let buf = Buffer.alloc(0);
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write(Buffer.concat([size, body])));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 10) done(buf.readInt32BE(4) === 4242 && buf.readInt16BE(8) === 0);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Keycloak
// ---------------------------------------------------------------------------------------------------
// keycloak-quarkus-dist 26.7.3 (newest 26.x served by Maven Central here; 26.7.4 is not). `kc.sh start-dev`
// (embedded dev-file H2 under <home>/data, realm imported from data/import once; the realm file's hash is
// remembered and the dev database is reset when it changes). Runs on the newest JDK found (Keycloak recommends
// 25; 17 works but is deprecated). Startup is CPU-heavy: start-dev re-runs the Quarkus augmentation on every
// start (~20 s of the ~40-60 s on 2 cores).

const KEYCLOAK = {
  realm: 'flexgalaxy',
  adminUser: 'admin',
  adminPassword: 'admin',
  clientId: 'flexgalaxy-admin',
  clientSecret: 'flexgalaxy-admin-secret',
  audience: 'flexgalaxy-api',
};

function keycloakServer() {
  const name = 'keycloak';
  const dir = path.join(INFRA_DIR, name);
  const pom = path.join(SCRIPT_DIR, 'keycloak', 'pom.xml');
  const realmFile = path.join(SCRIPT_DIR, 'keycloak', `${KEYCLOAK.realm}-realm.json`);
  const version = process.env.INFRA_KEYCLOAK_VERSION || readPomProperty(pom, 'keycloak.version');
  const { port, mgmtPort } = runtimePorts(dir, name, {
    port: ['INFRA_KEYCLOAK_PORT', 18080],
    mgmtPort: ['INFRA_KEYCLOAK_MANAGEMENT_PORT', 18081],
  });
  const distDir = path.join(dir, 'dist');
  const home = path.join(distDir, `keycloak-${version}`);
  const url = `http://${HOST}:${port}`;
  const issuer = `${url}/realms/${KEYCLOAK.realm}`;

  return {
    name,
    dir,
    version,
    pidFile: path.join(dir, `${name}.pid`),
    logFile: path.join(dir, `${name}.log`),
    marker: dir,
    portMap: { port, mgmtPort },
    ports: [
      [port, 'http'],
      [mgmtPort, 'management/health'],
    ],
    url,
    timeoutMs: intEnv('INFRA_KEYCLOAK_TIMEOUT', 300) * 1000,
    fetchedMarker: path.join(distDir, `.fetched-keycloak-${version}`),
    describe: `org.keycloak:keycloak-quarkus-dist:${version}:zip (~180 MB)`,

    async fetch(mvnLog) {
      // The plugin remembers unpacked artifacts in marker files (default: next to the pom, in target/); keep them
      // under .infra and wipe them so a deleted dist folder is always unpacked again.
      const markers = path.join(dir, '.mvn-markers');
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(markers, { recursive: true, force: true });
      await runMvn(
        name,
        pom,
        [
          `${DEPENDENCY_PLUGIN}:unpack-dependencies`,
          `-Dkeycloak.version=${version}`,
          `-DoutputDirectory=${distDir}`,
          `-DmarkersDirectory=${markers}`,
        ],
        mvnLog,
      );
      if (!fs.existsSync(path.join(home, 'bin', 'kc.sh')))
        throw new InfraError(`keycloak: unpacked, but ${home}/bin/kc.sh is missing`);
    },

    async prepare() {
      const java = pickJava(name, 17, true);
      const kcData = path.join(home, 'data');
      const hashFile = path.join(dir, 'realm.sha256');
      const hash = sha256(realmFile);
      const prevHash = fs.existsSync(hashFile) ? fs.readFileSync(hashFile, 'utf8').trim() : null;
      if (prevHash && prevHash !== hash && fs.existsSync(path.join(kcData, 'h2'))) {
        log(name, `${rel(realmFile)} changed since the last import: resetting the Keycloak dev database`);
        fs.rmSync(path.join(kcData, 'h2'), { recursive: true, force: true });
      }
      fs.mkdirSync(path.join(kcData, 'import'), { recursive: true });
      fs.copyFileSync(realmFile, path.join(kcData, 'import', path.basename(realmFile)));
      fs.writeFileSync(hashFile, `${hash}\n`);
      const env = { ...process.env };
      for (const k of ['JAVA_OPTS', 'JAVA_OPTS_APPEND', 'JAVA_ADD_OPENS', 'KC_DB', 'KC_DB_URL', 'KC_HOSTNAME'])
        delete env[k];
      Object.assign(env, {
        JAVA: java.bin,
        JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx768m',
        KC_BOOTSTRAP_ADMIN_USERNAME: KEYCLOAK.adminUser,
        KC_BOOTSTRAP_ADMIN_PASSWORD: KEYCLOAK.adminPassword,
      });
      return {
        command: path.join(home, 'bin', 'kc.sh'),
        args: [
          'start-dev',
          `--http-host=${HOST}`,
          `--http-port=${port}`,
          `--http-management-port=${mgmtPort}`,
          '--health-enabled=true',
          '--import-realm',
        ],
        env,
        note: `Java ${java.major}, heap 768m`,
      };
    },

    async health() {
      const ready = await httpGet(`http://${HOST}:${mgmtPort}/health/ready`);
      if (ready.status !== 200) return { ok: false, detail: `health/ready: ${ready.status || ready.error}` };
      const disco = await httpGet(`${issuer}/.well-known/openid-configuration`);
      if (disco.status !== 200) return { ok: false, detail: `realm discovery: ${disco.status || disco.error}` };
      return { ok: true, detail: 'health/ready UP, realm discovery document served' };
    },

    async verify() {
      const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: KEYCLOAK.clientId,
          client_secret: KEYCLOAK.clientSecret,
        }),
        signal: AbortSignal.timeout(10000),
      });
      const json = await res.json().catch(() => ({}));
      if (res.status !== 200 || !json.access_token) {
        throw new InfraError(
          `keycloak: client_credentials token for ${KEYCLOAK.clientId} failed: HTTP ${res.status} ${JSON.stringify(json)}`,
        );
      }
      const claims = JSON.parse(Buffer.from(json.access_token.split('.')[1], 'base64url').toString('utf8'));
      const aud = [].concat(claims.aud ?? []);
      const problems = [];
      if (claims.account_id === undefined) problems.push('no account_id claim');
      if (!Array.isArray(claims.permissions)) problems.push('no permissions array claim');
      if (!aud.includes(KEYCLOAK.audience))
        problems.push(`aud ${JSON.stringify(claims.aud)} lacks ${KEYCLOAK.audience}`);
      if (problems.length)
        throw new InfraError(`keycloak: token claims wrong (${problems.join(', ')}): ${JSON.stringify(claims)}`);
      log(
        name,
        `token check OK (aud=${aud.join(',')}, account_id=${claims.account_id}, permissions=${claims.permissions.join(',')})`,
      );
    },

    envLines: () => [
      `KEYCLOAK_URL=${url}`,
      `KEYCLOAK_REALM=${KEYCLOAK.realm}`,
      `KEYCLOAK_ADMIN_USER=${KEYCLOAK.adminUser}`,
      `KEYCLOAK_ADMIN_PASSWORD=${KEYCLOAK.adminPassword}`,
      `KEYCLOAK_TEST_CLIENT_ID=${KEYCLOAK.clientId}`,
      `KEYCLOAK_TEST_CLIENT_SECRET=${KEYCLOAK.clientSecret}`,
      `OIDC_ISSUER_URL_KEYCLOAK=${issuer}`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// hawkBit
// ---------------------------------------------------------------------------------------------------
// The Eclipse hawkBit update server, assembled from hawkBit's published 0.3.0M7 Spring Boot starters
// (Maven Central as reachable here serves no `hawkbit-update-server` jar): hawkbit/pom.xml resolves the
// runtime classpath, hawkbit/src holds the one-class application (compiled here with javac), and
// hawkbit/application.properties configures it. Embedded in-memory H2, no RabbitMQ, Java 17.
// Credentials admin/admin, tenant DEFAULT; after start-up the tenant key
// authentication.targettoken.enabled is switched on through the Management API so DDI clients can use
// `Authorization: TargetToken <token>`.

const HAWKBIT = {
  tenant: 'DEFAULT',
  user: 'admin',
  password: 'admin',
  smokeTarget: 'infra-smoke-target',
  smokeToken: 'infra-smoke-target-token',
};

/** Compiles the update server's one class (Spring 5 reads class files up to Java 11) with its configuration. */
function compileUpdateServer(javaBin, source, lib, classes) {
  fs.rmSync(classes, { recursive: true, force: true });
  fs.mkdirSync(classes, { recursive: true });
  const javac = javaBin === 'java' ? 'javac' : path.join(path.dirname(javaBin), 'javac');
  const sources = [path.join(source, 'src', 'com', 'flexgalaxy', 'infra', 'hawkbit', 'UpdateServer.java')];
  const r = spawnSync(javac, ['--release', '11', '-cp', path.join(lib, '*'), '-d', classes, ...sources], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new InfraError(`hawkbit: javac failed: ${r.error?.message ?? ''}${r.stderr}`);
  fs.copyFileSync(path.join(source, 'application.properties'), path.join(classes, 'application.properties'));
}

function hawkbitServer() {
  const name = 'hawkbit';
  const dir = path.join(INFRA_DIR, name);
  const source = path.join(SCRIPT_DIR, 'hawkbit');
  const pom = path.join(source, 'pom.xml');
  const version = process.env.INFRA_HAWKBIT_VERSION || readPomProperty(pom, 'hawkbit.version');
  const { port } = runtimePorts(dir, name, { port: ['INFRA_HAWKBIT_PORT', 18090] });
  const lib = path.join(dir, 'lib');
  const classes = path.join(dir, 'classes');
  const mainClass = 'com.flexgalaxy.infra.hawkbit.UpdateServer';
  const url = `http://${HOST}:${port}`;
  const auth = { Authorization: basicAuth(HAWKBIT.user, HAWKBIT.password), Accept: 'application/json' };

  return {
    name,
    dir,
    version,
    pidFile: path.join(dir, `${name}.pid`),
    logFile: path.join(dir, `${name}.log`),
    marker: dir,
    portMap: { port },
    ports: [[port, 'http']],
    url,
    timeoutMs: intEnv('INFRA_HAWKBIT_TIMEOUT', 300) * 1000,
    fetchedMarker: path.join(lib, `.fetched-hawkbit-${version}`),
    describe: `org.eclipse.hawkbit starters ${version} (DDI + Management API, H2)`,

    async fetch(mvnLog) {
      fs.rmSync(lib, { recursive: true, force: true });
      await runMvn(
        name,
        pom,
        [
          `${DEPENDENCY_PLUGIN}:copy-dependencies`,
          `-Dhawkbit.version=${version}`,
          '-DincludeScope=runtime',
          `-DoutputDirectory=${lib}`,
        ],
        mvnLog,
      );
      if (!fs.readdirSync(lib).some((f) => f.startsWith('hawkbit-ddi-resource-')))
        throw new InfraError(`hawkbit: hawkbit-ddi-resource missing in ${lib} after mvn`);
    },

    async prepare() {
      const java = pickJava(name, 17, false);
      compileUpdateServer(java.bin, source, lib, classes);
      fs.mkdirSync(path.join(dir, 'artifactrepo'), { recursive: true });
      return {
        command: java.bin,
        args: [
          '-Xms256m',
          '-Xmx768m',
          '-XX:+UseG1GC',
          '-XX:TieredStopAtLevel=1',
          '-Djava.awt.headless=true',
          '-cp',
          `${classes}${path.delimiter}${path.join(lib, '*')}`,
          mainClass,
          `--server.address=${HOST}`,
          `--server.port=${port}`,
          `--org.eclipse.hawkbit.repository.file.path=${path.join(dir, 'artifactrepo')}`,
        ],
        env: { ...process.env },
        note: `hawkBit ${version}, Java ${java.major}, heap 768m`,
      };
    },

    async health() {
      const r = await httpGet(`${url}/rest/v1/targets?limit=1`, { headers: auth });
      return r.status === 200
        ? { ok: true, detail: 'GET /rest/v1/targets 200 (basic auth)' }
        : { ok: false, detail: `GET /rest/v1/targets: ${r.status || r.error}` };
    },

    async verify() {
      const cfg = await httpJson('PUT', `${url}/rest/v1/system/configs/authentication.targettoken.enabled`, {
        headers: auth,
        body: { value: true },
      });
      if (cfg.status !== 200 && cfg.status !== 204)
        throw new InfraError(`hawkbit: enabling target-token auth failed: HTTP ${cfg.status} ${cfg.text}`);
      const existing = await httpJson('GET', `${url}/rest/v1/targets/${HAWKBIT.smokeTarget}`, { headers: auth });
      if (existing.status === 404) {
        const created = await httpJson('POST', `${url}/rest/v1/targets`, {
          headers: auth,
          body: [{ controllerId: HAWKBIT.smokeTarget, name: HAWKBIT.smokeTarget, securityToken: HAWKBIT.smokeToken }],
        });
        if (created.status !== 201 && created.status !== 200)
          throw new InfraError(`hawkbit: creating target failed: HTTP ${created.status} ${created.text}`);
      }
      const poll = await httpJson('GET', `${url}/${HAWKBIT.tenant}/controller/v1/${HAWKBIT.smokeTarget}`, {
        headers: { Authorization: `TargetToken ${HAWKBIT.smokeToken}`, Accept: 'application/hal+json' },
      });
      if (poll.status !== 200)
        throw new InfraError(`hawkbit: DDI poll with TargetToken failed: HTTP ${poll.status} ${poll.text}`);
      log(name, 'DDI check OK (target-token auth enabled, target polled via DDI)');
    },

    envLines: () => [
      `HAWKBIT_URL=${url}`,
      `HAWKBIT_TENANT=${HAWKBIT.tenant}`,
      `HAWKBIT_USER=${HAWKBIT.user}`,
      `HAWKBIT_PASSWORD=${HAWKBIT.password}`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// orchestration
// ---------------------------------------------------------------------------------------------------

const FACTORIES = { kafka: kafkaServer, keycloak: keycloakServer, hawkbit: hawkbitServer };
const ALL = Object.keys(FACTORIES);

function selectServers(names) {
  const unknown = names.filter((n) => !FACTORIES[n]);
  if (unknown.length) throw new InfraError(`unknown server(s): ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
  return (names.length ? ALL.filter((n) => names.includes(n)) : ALL).map((n) => FACTORIES[n]());
}

function runningPid(s) {
  const pid = readPid(s.pidFile);
  return pidIsOurs(pid, s.marker) ? pid : null;
}

async function waitHealthy(s, pid, t0) {
  const deadline = t0 + s.timeoutMs;
  let lastDetail = '';
  let nextNote = Date.now() + 15000;
  // Probed at least once: the wait may begin past the deadline when later servers' fetches were slow.
  for (let first = true; first || Date.now() < deadline; first = false) {
    if (!first) await sleep(1000);
    if (pid && !groupAlive(pid)) {
      throw new InfraError(
        `${s.name}: process ${pid} exited during start-up. Last lines of ${rel(s.logFile)}:\n${tail(s.logFile)}`,
      );
    }
    const h = await s.health();
    if (h.ok) return h;
    lastDetail = h.detail;
    if (Date.now() >= nextNote) {
      log(s.name, `still starting (${Math.round((Date.now() - t0) / 1000)}s: ${lastDetail})`);
      nextNote = Date.now() + 15000;
    }
  }
  throw new InfraError(
    `${s.name}: not healthy after ${Math.round(s.timeoutMs / 1000)}s (${lastDetail}). The process is left running (pid ${pid}); \`infra.mjs down ${s.name}\` stops it. Last lines of ${rel(s.logFile)}:\n${tail(s.logFile)}`,
  );
}

async function ensureFetched(s) {
  if (fs.existsSync(s.fetchedMarker)) return;
  fs.mkdirSync(s.dir, { recursive: true });
  const mvnLog = path.join(s.dir, 'mvn.log');
  log(s.name, `fetching ${s.describe} with mvn (cached in ~/.m2; log ${rel(mvnLog)})…`);
  const t0 = Date.now();
  await s.fetch(mvnLog);
  fs.mkdirSync(path.dirname(s.fetchedMarker), { recursive: true });
  fs.writeFileSync(s.fetchedMarker, `${new Date().toISOString()}\n`);
  log(s.name, `fetched in ${Math.round((Date.now() - t0) / 1000)}s`);
}

async function startServer(s) {
  const pidNow = runningPid(s);
  if (pidNow) {
    const h = await s.health();
    if (h.ok) {
      log(s.name, `already running (pid ${pidNow}) and healthy: ${s.url}`);
      return { s, already: true };
    }
    log(s.name, `running (pid ${pidNow}) but not healthy yet (${h.detail}); waiting…`);
    const t0 = Date.now();
    await waitHealthy(s, pidNow, t0);
    log(s.name, `healthy after ${Math.round((Date.now() - t0) / 1000)}s more`);
    await s.verify();
    return { s, already: true };
  }
  if (fs.existsSync(s.pidFile)) fs.rmSync(s.pidFile); // stale

  for (const [port, what] of s.ports) {
    if (!(await portFree(port))) {
      const who = whoListens(port);
      throw new InfraError(
        `${s.name}: port ${port} (${what}) is already in use by a process not started by infra.mjs${who ? `:\n  ${who}` : ''}\n  Stop it, or pick another port with the INFRA_${s.name.toUpperCase()}_*PORT variables (see the top of tools/infra/infra.mjs).`,
      );
    }
  }

  await ensureFetched(s);
  const spec = await s.prepare();
  if (fs.existsSync(s.logFile)) fs.renameSync(s.logFile, `${s.logFile}.prev`);
  const out = fs.openSync(s.logFile, 'w');
  const child = spawn(spec.command, spec.args, {
    cwd: s.dir,
    env: spec.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) throw new InfraError(`${s.name}: cannot start ${spec.command}: ${spawnError.message}`);
  child.unref();
  fs.writeFileSync(s.pidFile, `${child.pid}\n`);
  fs.writeFileSync(
    path.join(s.dir, 'state.json'),
    `${JSON.stringify({ pid: child.pid, version: s.version, ports: s.portMap, url: s.url, startedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(s.name, `starting ${s.version} (pid ${child.pid}, ${spec.note}; log ${rel(s.logFile)})…`);
  return { s, pid: child.pid, t0: Date.now() };
}

async function readinessOf(s) {
  const pid = runningPid(s);
  if (!pid) return { running: false, healthy: false, detail: 'not running' };
  const h = await s.health();
  return { running: true, pid, healthy: h.ok, detail: h.detail };
}

/** Rewrites .infra/env with the lines of every server that is running and healthy. Returns its text. */
async function writeEnvFile() {
  const lines = [];
  for (const s of selectServers([])) {
    const r = await readinessOf(s);
    if (r.healthy) lines.push(...s.envLines());
  }
  // Plain KEY=VALUE lines only (no comments/quotes), so that shells, dotenv and `export $(cat …)` all read it.
  const text = lines.length ? `${lines.join('\n')}\n` : '';
  fs.mkdirSync(INFRA_DIR, { recursive: true });
  const prev = fs.existsSync(ENV_FILE) ? fs.readFileSync(ENV_FILE, 'utf8') : null;
  if (!text) {
    if (prev !== null) fs.rmSync(ENV_FILE);
  } else if (prev !== text) {
    fs.writeFileSync(ENV_FILE, text);
  }
  return text;
}

async function cmdUp(names) {
  const servers = selectServers(names);
  fs.mkdirSync(INFRA_DIR, { recursive: true });
  const failures = [];
  const started = [];

  // Fetch and launch one after the other (mvn output stays readable, port checks are simple) ...
  for (const s of servers) {
    try {
      started.push(await startServer(s));
    } catch (e) {
      failures.push(e);
      log(s.name, `FAILED: ${e.message.split('\n')[0]}`);
    }
  }

  // ... then wait for all of them together (2 cores: start-ups overlap anyway).
  await Promise.all(
    started
      .filter((r) => !r.already)
      .map(async ({ s, pid, t0 }) => {
        try {
          const h = await waitHealthy(s, pid, t0);
          log(s.name, `healthy in ${Math.round((Date.now() - t0) / 1000)}s: ${s.url} (${h.detail})`);
          await s.verify();
        } catch (e) {
          failures.push(e);
        }
      }),
  );

  const envText = await writeEnvFile();
  console.log(`\n# ${rel(ENV_FILE)}`);
  process.stdout.write(envText || '# (empty: nothing is running)\n');
  if (failures.length) {
    for (const e of failures) console.error(`\n[infra] ERROR ${e.message}`);
    process.exitCode = 1;
  }
}

async function cmdDown(names) {
  const graceMs = intEnv('INFRA_STOP_TIMEOUT', 30) * 1000;
  const servers = selectServers(names);
  await Promise.all(
    servers.map(async (s) => {
      const pid = runningPid(s);
      if (!pid) {
        log(s.name, fs.existsSync(s.pidFile) ? 'not running (removing stale pid file)' : 'not running');
      } else {
        log(s.name, `stopping pid ${pid}…`);
        const how = await stopGroup(pid, graceMs);
        log(s.name, how);
      }
      fs.rmSync(s.pidFile, { force: true });
      fs.rmSync(path.join(s.dir, 'state.json'), { force: true });
    }),
  );
  await writeEnvFile();
}

async function cmdStatus() {
  const servers = selectServers([]);
  const rows = await Promise.all(servers.map(async (s) => ({ s, r: await readinessOf(s) })));
  for (const { s, r } of rows) {
    const state = r.running ? `running (pid ${r.pid})` : 'stopped';
    const health = r.running ? (r.healthy ? 'healthy' : `NOT healthy: ${r.detail}`) : '-';
    console.log(`${s.name.padEnd(9)} ${state.padEnd(22)} ${s.url.padEnd(26)} ${health}`);
  }
  if (fs.existsSync(ENV_FILE)) console.log(`env file: ${rel(ENV_FILE)}`);
}

async function cmdClean(names) {
  await cmdDown(names);
  for (const s of selectServers(names)) {
    fs.rmSync(s.dir, { recursive: true, force: true });
    log(s.name, `removed ${rel(s.dir)}`);
  }
}

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  switch (cmd) {
    case 'up':
      return cmdUp(args);
    case 'down':
    case 'stop':
      return cmdDown(args);
    case 'status':
      return cmdStatus();
    case 'clean':
      return cmdClean(args);
    default:
      console.error(
        'usage: node tools/infra/infra.mjs up [kafka] [keycloak] [hawkbit] | down [server...] | status | clean [server...]',
      );
      process.exitCode = 2;
  }
}

main().catch((e) => {
  console.error(`[infra] ERROR ${e instanceof InfraError ? e.message : e.stack || e}`);
  process.exitCode = 1;
});
