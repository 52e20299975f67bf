import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { dockerAnswers } from './services.js';

/**
 * Where the Kafka broker tests need comes from, in order: `KAFKA_BROKERS` (comma-separated
 * host:port), librdkafka's mock cluster run by the `kcat` binary (in memory, three brokers, topics
 * auto-created, no admin CreateTopics), then an apache/kafka container when a Docker engine answers.
 */
export interface KafkaService {
  readonly brokers: readonly string[];
  readonly source: 'env' | 'kcat' | 'testcontainers';
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const KAFKA_IMAGE = 'apache/kafka:3.9.0';

/** Resolves once a kafkajs producer can write to an auto-created topic on these brokers. */
export async function waitUntilKafkaProduces(
  brokers: readonly string[],
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'waypoint-test-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const producer = kafka.producer({ retry: { retries: 0 } });
    try {
      await producer.connect();
      await producer.send({
        topic: 'waypoint.test.warmup',
        acks: -1,
        messages: [{ key: 'probe', value: 'probe' }],
      });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
  throw new Error(
    `Kafka at ${brokers.join(',')} did not accept a message within ${String(timeoutMs)} ms: ${String(lastError)}`,
  );
}

/** `bootstrap.servers=a,b,c` with `-d mock`, or the notice `... replaced with a,b,c` without it. */
export function parseMockBootstrap(stderr: string): string[] | null {
  const match = /(?:bootstrap\.servers=|replaced with )(\d[\d.]*:\d+(?:,\d[\d.]*:\d+)*)/.exec(
    stderr,
  );
  return match?.[1] ? match[1].split(',') : null;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts librdkafka's mock cluster through kcat (a consumer of a warm-up topic that keeps the
 * process, and so the cluster, alive), reads the bootstrap servers it prints on stderr and waits
 * until kafkajs can produce. The cluster keeps its data in memory; `stop` kills the process.
 * Debug logging (`-d mock`) is left off: it prints a line per request on two shared cores.
 */
export async function startKcatMockCluster(brokerCount = 3): Promise<KafkaService> {
  const child = spawn(
    'kcat',
    [
      '-C',
      '-t',
      'waypoint.mock.keepalive',
      '-b',
      'unused:9092',
      '-X',
      `test.mock.num.brokers=${String(brokerCount)}`,
      '-o',
      'end',
      '-q',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Never outlive the test run, even when it ends without calling stop().
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error('kcat did not print the mock cluster bootstrap servers within 10 s'));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const found = parseMockBootstrap(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited with ${String(code)} before the mock cluster started`));
    });
  });
  // Keep draining stderr: a full pipe would block kcat, and with it the mock brokers.
  child.stderr.resume();
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopProcess(child);
  };
  try {
    await waitUntilKafkaProduces(brokers);
  } catch (error) {
    await stop();
    throw error;
  }
  return { brokers, source: 'kcat', stop };
}

async function kcatInstalled(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('kcat', ['-V'], { stdio: 'ignore' });
    child.once('error', () => {
      resolve(false);
    });
    child.once('exit', (code) => {
      resolve(code === 0);
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

/**
 * A single-node KRaft broker. The advertised listener must be the address the host reaches, so the
 * host port is chosen first and bound explicitly.
 */
async function startKafkaContainer(): Promise<KafkaService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const hostPort = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${String(hostPort)}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: '4',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  const brokers = [`127.0.0.1:${String(hostPort)}`];
  const stop = async (): Promise<void> => {
    await container.stop();
  };
  try {
    await waitUntilKafkaProduces(brokers, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { brokers, source: 'testcontainers', stop };
}

export async function findKafka(): Promise<KafkaService | { readonly missing: string }> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) {
    const brokers = fromEnv
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0);
    try {
      await waitUntilKafkaProduces(brokers, 10_000);
      return { brokers, source: 'env', stop: () => Promise.resolve() };
    } catch {
      return { missing: 'KAFKA_BROKERS is set but no broker there accepts a message' };
    }
  }
  try {
    if (await kcatInstalled()) return await startKcatMockCluster();
    if (await dockerAnswers()) return await startKafkaContainer();
  } catch (error) {
    return { missing: `Kafka did not start: ${String(error)}` };
  }
  return {
    missing:
      'no Kafka: set KAFKA_BROKERS, install kcat (apt-get install kcat: its librdkafka mock cluster), or start a Docker engine',
  };
}
