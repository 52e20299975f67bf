/**
 * The shelter service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { shelterConfigSchema } from './config.js';
import { startDistributedShelter } from './distributed.js';

await serveDistributed('shelter', shelterConfigSchema, startDistributedShelter);
