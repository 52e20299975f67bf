/**
 * `pnpm projections <command>` for the embedded installation: the read models of the data folder.
 * While the server runs it holds the data folder, so the command then goes through the server's
 * admin API (with an admin token signed by the install's key); otherwise it opens the folder.
 */
import './lean-memory.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profilesOf } from '@waypoint/audit-service';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { configOrExit } from '@waypoint/service-kit';
import type { GenerationStatus, ParkedEvent } from '@waypoint/projections';
import { pino } from 'pino';
import { parseProjectionsArgs, PROJECTIONS_USAGE, type ProjectionsCommand } from './cli-args.js';
import { allInOneConfigSchema } from './config.js';
import type { InstallSecrets } from './install-secrets.js';
import { runProjectionsCommand, type ReadModelAdmin } from './projections-command.js';
import { terminalProgress } from './progress.js';
import { openReadModels, startProjections } from './read-models.js';
import { demoToken } from './tokens.js';

const dataDir = process.env.DATA_DIR ?? '.data';
const base = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '3000'}`;
const out = { write: (text: string) => process.stdout.write(text) };

async function serverAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${base}/health`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

async function serverAdmin(secrets: InstallSecrets): Promise<ReadModelAdmin> {
  const token = await demoToken(secrets.signingKey.privateJwk, 'admin', 3_600);
  const call = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const body: unknown = await response.json();
    if (!response.ok) {
      const detail = (body as { detail?: string }).detail;
      throw new Error(`${String(response.status)}: ${detail ?? JSON.stringify(body)}`);
    }
    return body as T;
  };
  return {
    status: async () =>
      (await call<{ projections: GenerationStatus[] }>('GET', '/admin/projections')).projections,
    rebuild: (name) => call('POST', `/admin/projections/${name}/rebuild`),
    parked: async (name) =>
      (await call<{ parked: ParkedEvent[] }>('GET', '/admin/projections/parked')).parked.filter(
        (entry) => name === undefined || entry.name === name,
      ),
    retry: (name, eventId) => call('POST', `/admin/projections/${name}/parked/${eventId}/retry`),
    close: () => Promise.resolve(),
  };
}

async function directAdmin(command: ProjectionsCommand): Promise<ReadModelAdmin> {
  process.umask(0o077);
  const config = configOrExit(allInOneConfigSchema);
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const { db } = await openReadModels(dataDir);
  const engine = await startProjections(store, db, profilesOf(config), pino({ level: 'warn' }), {
    run: command.action === 'rebuild' || command.action === 'retry',
  });
  return {
    status: () => engine.status(),
    rebuild: async (name) => {
      engine.projection(name);
      const generation = await engine.rebuild(name);
      return { name: generation.name, generation: generation.generation };
    },
    parked: (name) => engine.parked(name),
    retry: async (name, eventId) => ({ outcome: await engine.retryParked(name, eventId) }),
    close: async () => {
      await engine.stop();
      await db.close();
      await store.close();
    },
  };
}

const parsed = parseProjectionsArgs(process.argv.slice(2));
const secretsFile = join(dataDir, 'secrets.json');
if (parsed.kind === 'help') {
  out.write(PROJECTIONS_USAGE);
} else if (parsed.kind === 'usage-error') {
  process.stderr.write(`projections: ${parsed.message} (see --help)\n`);
  process.exitCode = 2;
} else if (!existsSync(secretsFile)) {
  process.stderr.write(
    `projections: no installation in ${dataDir}: start it once first (or set DATA_DIR)\n`,
  );
  process.exitCode = 1;
} else {
  let admin: ReadModelAdmin | undefined;
  try {
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as InstallSecrets;
    admin = (await serverAnswers())
      ? await serverAdmin(secrets)
      : await directAdmin(parsed.command);
    process.exitCode = await runProjectionsCommand(parsed.command, admin, out, terminalProgress());
  } catch (error) {
    process.stderr.write(
      `projections: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  } finally {
    await admin?.close();
  }
}
