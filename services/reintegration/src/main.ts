/**
 * The reintegration service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { reintegrationConfigSchema } from './config.js';
import { startDistributedReintegration } from './distributed.js';

await serveDistributed('reintegration', reintegrationConfigSchema, startDistributedReintegration);
