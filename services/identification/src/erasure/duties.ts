import type { ErasureService } from '@waypoint/contracts';
import type { LiveView } from '@waypoint/eventstore';
import {
  confirmPendingErasures,
  type ErasureCoordinator,
  type Purge,
  type RetentionPolicy,
} from '@waypoint/privacy';
import type { ErasureLedger } from './erasure-ledger.js';
import { runRetention } from './retention.js';
import { systemContext, type ErasureWorkflow } from './workflow.js';

export interface DutiesReport {
  /** Requests the retention job made. */
  readonly retentionRequests: number;
  /** Confirmations of the local services (the last one of a request destroys its keys). */
  readonly confirmed: number;
  /** Key destructions a crash had cut short, taken now. */
  readonly advanced: number;
}

/** The workflow as the coordinator of the services that run in this process. */
export function inProcessCoordinator(
  workflow: ErasureWorkflow,
  now: () => Date,
  newId: () => string,
): ErasureCoordinator {
  return {
    pending: (service) => workflow.pending(service),
    confirm: async (requestId, service, report) => {
      await workflow.confirm(
        requestId,
        service,
        report,
        systemContext(`system:${service}`, now(), newId()),
      );
    },
  };
}

/**
 * What the identification process does on its own, on an interval: retention requests first,
 * then the local services' purges and confirmations, then any key destruction a crash cut short.
 * One run at a time.
 */
export class ErasureDuties {
  private running: Promise<DutiesReport> | undefined;

  constructor(
    private readonly deps: {
      readonly workflow: ErasureWorkflow;
      readonly ledger: LiveView<ErasureLedger>;
      readonly localServices: readonly ErasureService[];
      readonly purge: Purge;
      readonly retention: RetentionPolicy;
      readonly now: () => Date;
      readonly newId: () => string;
    },
  ) {}

  run(): Promise<DutiesReport> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runOnce(): Promise<DutiesReport> {
    const { workflow, ledger, now, newId } = this.deps;
    const retention = await runRetention({
      workflow,
      ledger,
      policy: this.deps.retention,
      now: now(),
      newId,
    });
    const coordinator = inProcessCoordinator(workflow, now, newId);
    let confirmed = 0;
    for (const service of this.deps.localServices) {
      confirmed += await confirmPendingErasures(coordinator, service, this.deps.purge);
    }
    let advanced = 0;
    for (const requestId of await workflow.readyToDestroy()) {
      const state = await workflow.advance(
        requestId,
        systemContext('system:erasure', now(), newId()),
      );
      if (state.status === 'completed') advanced += 1;
    }
    return { retentionRequests: retention.requested.length, confirmed, advanced };
  }
}
