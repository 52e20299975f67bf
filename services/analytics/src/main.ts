/**
 * The analytics service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { analyticsDistributedConfigSchema, startDistributedAnalytics } from './distributed.js';

await serveDistributed('analytics', analyticsDistributedConfigSchema, startDistributedAnalytics);
