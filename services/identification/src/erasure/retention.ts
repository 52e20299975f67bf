import type { Category } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { LiveView } from '@waypoint/eventstore';
import { categoriesPastRetention, type RetentionPolicy } from '@waypoint/privacy';
import { activeHolds } from './domain/legal-hold/state.js';
import type { ErasureLedger } from './erasure-ledger.js';
import { systemContext, type ErasureWorkflow } from './workflow.js';

export const RETENTION_ACTOR = 'system:retention';

export interface RetentionRun {
  readonly requested: readonly { readonly personId: string; readonly categories: Category[] }[];
}

/**
 * Storage limitation (GDPR Art. 5(1)(e), IOM principle 9): asks, through the same workflow as a
 * DPO, to erase each category of a person that is past its retention period after their last
 * journey closed and not under a legal hold. Requested by `system:retention`. Run it on an
 * interval; a category already requested is not asked for twice.
 */
export async function runRetention(input: {
  readonly workflow: ErasureWorkflow;
  readonly ledger: LiveView<ErasureLedger>;
  readonly policy: RetentionPolicy;
  readonly now: Date;
  readonly newId: () => string;
}): Promise<RetentionRun> {
  if (input.policy.length === 0) return { requested: [] };
  const ledger = await input.ledger.current();
  const requested: { personId: string; categories: Category[] }[] = [];
  for (const [personId, journeys] of [...ledger.journeysByPerson]) {
    const closures = journeys.map((journeyId) => ledger.closures.get(journeyId));
    const closedAt = closures.every((closure) => closure !== undefined)
      ? (closures
          .map((closure) => closure.closedAt)
          .sort()
          .at(-1) ?? null)
      : null;
    const holds = activeHolds(ledger.holds.get(personId) ?? { holds: [] });
    const erased = (ledger.requestsByPerson.get(personId) ?? []).flatMap((requestId) => {
      const state = ledger.requests.get(requestId);
      return state && state.status !== 'none' && state.status !== 'blocked'
        ? state.request.categories
        : [];
    });
    const due = categoriesPastRetention(
      input.policy,
      {
        closedAt,
        held: new Set(holds.flatMap((hold) => hold.categories)),
        erased: new Set(erased),
      },
      input.now,
    );
    if (due.length === 0) continue;
    try {
      await input.workflow.request(
        { personId, reasonCode: 'retention_expired', categories: due, origin: 'retention' },
        systemContext(RETENTION_ACTOR, input.now, input.newId()),
      );
      requested.push({ personId, categories: due });
    } catch (error) {
      // A hold placed since the ledger was read: the request is recorded as blocked, and that is all.
      if (!(error instanceof DomainError && error.code === 'ERASURE_UNDER_LEGAL_HOLD')) throw error;
    }
  }
  return { requested };
}
