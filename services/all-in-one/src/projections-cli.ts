/**
 * `pnpm projections <command>` for the embedded installation: the read models of the data folder.
 * While the server runs it holds the data folder, so the command then goes through the server's
 * admin API (with an admin token signed by the install's key); otherwise it opens the folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profilesOf } from '@waypoint/audit-service';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { configOrExit } from '@waypoint/service-kit';
import {
  CLI_USAGE,
  runProjectionsCli,
  type GenerationStatus,
  type ParkedEvent,
} from '@waypoint/projections';
import { pino } from 'pino';
import { allInOneConfigSchema } from './config.js';
import type { InstallSecrets } from './install-secrets.js';
import { openReadModels, startProjections } from './read-models.js';
import { demoToken } from './tokens.js';

const args = process.argv.slice(2);
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

async function throughServer(secrets: InstallSecrets): Promise<number> {
  const token = await demoToken(secrets.signingKey.privateJwk, 'admin', 120);
  const call = async (method: string, path: string): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`${String(response.status)}: ${JSON.stringify(body)}`);
    return body;
  };
  const [command, name, eventId] = args;
  switch (command) {
    case 'status': {
      const { projections } = (await call('GET', '/admin/projections')) as {
        projections: GenerationStatus[];
      };
      for (const p of projections)
        out.write(
          `${p.name} generation ${String(p.generation)} v${String(p.version)} ${p.status} (${p.runner}): ${String(p.eventsApplied)} applied, ${String(p.lag.eventsBehind)} behind, ${String(p.parked)} parked\n`,
        );
      return 0;
    }
    case 'rebuild':
      if (!name) break;
      out.write(`${JSON.stringify(await call('POST', `/admin/projections/${name}/rebuild`))}\n`);
      return 0;
    case 'parked': {
      const { parked } = (await call('GET', '/admin/projections/parked')) as {
        parked: ParkedEvent[];
      };
      for (const p of parked.filter((entry) => !name || entry.name === name))
        out.write(
          `${p.name} ${p.eventId} ${p.type} ${p.stream}@${String(p.revision)}: ${p.error}\n`,
        );
      if (parked.length === 0) out.write('no parked events\n');
      return 0;
    }
    case 'retry':
      if (!name || !eventId) break;
      out.write(
        `${JSON.stringify(await call('POST', `/admin/projections/${name}/parked/${eventId}/retry`))}\n`,
      );
      return 0;
    default:
      break;
  }
  out.write(CLI_USAGE);
  return 2;
}

async function direct(): Promise<number> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const { db } = await openReadModels(dataDir);
  const config = configOrExit(allInOneConfigSchema);
  const engine = await startProjections(
    store,
    db,
    profilesOf(config),
    pino({ level: 'warn' }),
    args[0] === 'rebuild',
  );
  try {
    return await runProjectionsCli(args, engine, out);
  } finally {
    await engine.stop();
    await db.close();
    await store.close();
  }
}

const secretsFile = join(dataDir, 'secrets.json');
if (!existsSync(secretsFile)) {
  process.stderr.write(
    `No installation in ${dataDir}: run pnpm start once first (or set DATA_DIR).\n`,
  );
  process.exit(1);
}
try {
  const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as InstallSecrets;
  process.exitCode = (await serverAnswers()) ? await throughServer(secrets) : await direct();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
