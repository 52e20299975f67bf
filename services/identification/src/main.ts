/**
 * The identification service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { identificationConfigSchema } from './config.js';
import { startDistributedIdentification } from './distributed.js';

await serveDistributed(
  'identification',
  identificationConfigSchema,
  startDistributedIdentification,
);
