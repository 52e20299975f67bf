import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dockerAnswers } from '@waypoint/testing';

/**
 * Where the KurrentDB tests find a server: `ESDB_URL`, else a throw-away single node started with
 * testcontainers when a Docker engine answers. Test support only; nothing in the store uses it.
 */
export interface KurrentDbService {
  readonly url: string;
  readonly source: 'env' | 'testcontainers';
  stop(): Promise<void>;
}

/** The few testcontainers calls used here (it is a dependency of @waypoint/testing). */
interface StartedContainer {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(): Promise<unknown>;
}
interface ContainerBuilder {
  withExposedPorts(...ports: number[]): ContainerBuilder;
  withCommand(command: string[]): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  withStartupTimeout(ms: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}
interface Testcontainers {
  GenericContainer: new (image: string) => ContainerBuilder;
  Wait: { forHttp(path: string, port: number): unknown };
}

export const KURRENTDB_IMAGE =
  process.env.WAYPOINT_KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';

async function loadTestcontainers(): Promise<Testcontainers> {
  const fromHere = createRequire(import.meta.url);
  const entry = createRequire(fromHere.resolve('@waypoint/testing')).resolve('testcontainers');
  return (await import(pathToFileURL(entry).href)) as Testcontainers;
}

export async function findKurrentDb(): Promise<KurrentDbService | { readonly missing: string }> {
  const fromEnv = process.env.ESDB_URL;
  if (fromEnv) return { url: fromEnv, source: 'env', stop: () => Promise.resolve() };
  if (!(await dockerAnswers())) {
    return {
      missing: 'no KurrentDB: set ESDB_URL (esdb://host:2113?tls=false) or start a Docker engine',
    };
  }
  const { GenericContainer, Wait } = await loadTestcontainers();
  // Insecure single node in memory; appends up to 8 MiB, for the contract's 2,500-event batch.
  const container = await new GenericContainer(KURRENTDB_IMAGE)
    .withExposedPorts(2113)
    .withCommand(['--insecure', '--mem-db', '--run-projections=None', '--max-append-size=8388608'])
    .withWaitStrategy(Wait.forHttp('/health/live', 2113))
    .withStartupTimeout(180_000)
    .start();
  return {
    url: `esdb://${container.getHost()}:${String(container.getMappedPort(2113))}?tls=false`,
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}
