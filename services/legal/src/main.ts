/**
 * The legal service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { legalConfigSchema } from './config.js';
import { startDistributedLegal } from './distributed.js';

await serveDistributed('legal', legalConfigSchema, startDistributedLegal);
