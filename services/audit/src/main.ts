/**
 * The audit service in the distributed mode: the only file that reads the environment and
 * listens (see `serveDistributed`).
 */
import { serveDistributed } from '@waypoint/runtime';
import { auditDistributedConfigSchema, startDistributedAudit } from './distributed.js';

await serveDistributed('audit', auditDistributedConfigSchema, startDistributedAudit);
