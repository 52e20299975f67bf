/**
 * `pnpm start`: every service in one process, with no server to install. The only file of the
 * embedded mode that reads the environment and listens.
 */
import './lean-memory.js';
import { configOrExit, listen } from '@waypoint/service-kit';
import { allInOneConfigSchema } from './config.js';
import { DEMO_USERS } from './demo.js';
import { startEmbedded } from './embedded.js';
import { terminalProgress } from './progress.js';

const started = performance.now();
// Whatever this process creates in the data folder is for its own account only.
process.umask(0o077);
const config = configOrExit(allInOneConfigSchema);
const embedded = await startEmbedded(config, undefined, terminalProgress());
const { app } = embedded;
if (embedded.createdSecrets)
  app.log.info(
    { dataDir: config.DATA_DIR },
    'new installation: secrets generated in the data folder (keep a copy apart from backups)',
  );
if (embedded.readModelsRebuilt)
  app.log.warn(
    { readModels: embedded.readModelsRebuilt },
    embedded.readModelsRebuilt === 'missing'
      ? 'read models were missing: rebuilt from the events'
      : 'read models could not be opened: discarded and rebuilt from the events',
  );
const { seeded } = embedded;
if (seeded.organisations + seeded.journeys > 0) app.log.info(seeded, 'demo data created');
const address = await listen(app, { host: config.HOST, port: config.PORT });
app.log.info(
  {
    address,
    startupMs: Math.round(performance.now() - started),
    demoUsers: Object.keys(DEMO_USERS),
  },
  `Waypoint is listening on ${address} (API docs at ${address}/docs). Get a demo token with: pnpm demo-token caseworker (pnpm demo-token --help lists the users)`,
);
