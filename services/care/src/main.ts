/**
 * The care service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { careConfigSchema } from './config.js';
import { startDistributedCare } from './distributed.js';

await serveDistributed('care', careConfigSchema, startDistributedCare);
