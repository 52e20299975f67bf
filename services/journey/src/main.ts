/**
 * The journey service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { journeyConfigSchema } from './config.js';
import { startDistributedJourney } from './distributed.js';

await serveDistributed('journey', journeyConfigSchema, startDistributedJourney);
