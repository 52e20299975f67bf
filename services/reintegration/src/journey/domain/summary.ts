import {
  effectiveEntries,
  type ReintegrationEvent,
  type ReintegrationEventData,
} from '@waypoint/contracts';
import { historyToArray, type History } from '@waypoint/decider';
import type { StoredEntry } from './state.js';

/** One event that counts: its id, the id its data was sealed with, when it happened, its data. */
export interface Entry<Data> {
  readonly eventId: string;
  /** The amendment's id when the event was amended: its encrypted fields were sealed with it. */
  readonly dataEventId: string;
  readonly occurredAt: string;
  readonly data: Data;
}

type Of<Type extends ReintegrationEvent['type']> = Entry<ReintegrationEventData<Type>>;

export type ReturnDecision =
  | { readonly kind: 'authority'; readonly decision: Of<'ReturnDecided'> }
  | {
      readonly kind: 'assisted';
      readonly decision: Of<'AssistedReturnDecided'>;
      readonly override: Of<'AssistedReturnOverrideRecorded'> | undefined;
    };

export interface Correction {
  readonly kind: 'retraction' | 'amendment';
  readonly eventId: string;
  readonly targetEventId: string;
  readonly reasonCode: string;
}

/** What the reintegration record says once corrections are applied, in the order things happened. */
export interface ReintegrationSummary {
  readonly status: 'open' | 'closed';
  readonly riskAssessments: Of<'RiskAssessmentCompleted'>[];
  readonly familyAssessments: Of<'FamilyAssessmentCompleted'>[];
  readonly bestInterests: Of<'BestInterestsDetermined'>[];
  readonly childViews: Of<'ChildViewsRecorded'>[];
  readonly returns: ReturnDecision[];
  readonly executions: Of<'ReturnExecuted'>[];
  readonly receptions: Of<'ReceptionArrangedAtDestination'>[];
  readonly plans: Of<'ReintegrationPlanCreated'>[];
  readonly reviews: Of<'ReintegrationReviewCompleted'>[];
  readonly reTrafficking: Of<'ReTraffickingReported'>[];
  readonly closure: Of<'JourneyClosed'> | undefined;
  readonly corrections: Correction[];
}

type Mutable = {
  -readonly [Key in keyof ReintegrationSummary]: ReintegrationSummary[Key];
};

/** Folds the effective events (retracted ones dropped, amended ones with their new data). */
export function summarise(history: History<StoredEntry>): ReintegrationSummary {
  const all = historyToArray(history);
  const occurredAt = new Map(all.map((entry) => [entry.eventId, entry.occurredAt]));
  const summary: Mutable = {
    status: 'open',
    riskAssessments: [],
    familyAssessments: [],
    bestInterests: [],
    childViews: [],
    returns: [],
    executions: [],
    receptions: [],
    plans: [],
    reviews: [],
    reTrafficking: [],
    closure: undefined,
    corrections: [],
  };
  const overrides: Of<'AssistedReturnOverrideRecorded'>[] = [];
  const assisted: Of<'AssistedReturnDecided'>[] = [];
  for (const { eventId, dataEventId, event } of effectiveEntries(all)) {
    const at = occurredAt.get(eventId) ?? '';
    const entry = <Data>(data: Data): Entry<Data> => ({
      eventId,
      dataEventId,
      occurredAt: at,
      data,
    });
    switch (event.type) {
      case 'RiskAssessmentCompleted':
        summary.riskAssessments.push(entry(event.data));
        break;
      case 'FamilyAssessmentCompleted':
        summary.familyAssessments.push(entry(event.data));
        break;
      case 'BestInterestsDetermined':
        summary.bestInterests.push(entry(event.data));
        break;
      case 'ChildViewsRecorded':
        summary.childViews.push(entry(event.data));
        break;
      case 'ReturnDecided':
        summary.returns.push({ kind: 'authority', decision: entry(event.data) });
        break;
      case 'AssistedReturnDecided':
        assisted.push(entry(event.data));
        summary.returns.push({
          kind: 'assisted',
          decision: entry(event.data),
          override: undefined,
        });
        break;
      case 'AssistedReturnOverrideRecorded':
        overrides.push(entry(event.data));
        break;
      case 'ReturnExecuted':
        summary.executions.push(entry(event.data));
        break;
      case 'ReceptionArrangedAtDestination':
        summary.receptions.push(entry(event.data));
        break;
      case 'ReintegrationPlanCreated':
        summary.plans.push(entry(event.data));
        break;
      case 'ReintegrationReviewCompleted':
        summary.reviews.push(entry(event.data));
        break;
      case 'ReTraffickingReported':
        summary.reTrafficking.push(entry(event.data));
        break;
      case 'JourneyClosed':
        summary.status = 'closed';
        summary.closure = entry(event.data);
        break;
      case 'EventRetracted':
      case 'EventAmended':
        break;
    }
  }
  summary.returns = summary.returns.map((decision) =>
    decision.kind === 'assisted'
      ? {
          ...decision,
          override: overrides.find(
            (override) => override.data.returnId === decision.decision.data.returnId,
          ),
        }
      : decision,
  );
  for (const { eventId, event } of all) {
    if (event.type === 'EventRetracted')
      summary.corrections.push({
        kind: 'retraction',
        eventId,
        targetEventId: event.data.retractedEventId,
        reasonCode: event.data.reasonCode,
      });
    else if (event.type === 'EventAmended')
      summary.corrections.push({
        kind: 'amendment',
        eventId,
        targetEventId: event.data.amendedEventId,
        reasonCode: event.data.reasonCode,
      });
  }
  return summary;
}

export function latest<Item>(items: readonly Item[]): Item | undefined {
  return items[items.length - 1];
}

/** Whether a return decision was carried out: an execution names it. */
export function executed(summary: ReintegrationSummary, returnId: string): boolean {
  return summary.executions.some((execution) => execution.data.returnId === returnId);
}

/**
 * When the next review is due: the date the latest review set, or else the plan's first review;
 * none once the journey is closed or the latest review planned no further one.
 */
export function nextReviewDue(summary: ReintegrationSummary): string | undefined {
  if (summary.status === 'closed') return undefined;
  const review = latest(summary.reviews);
  if (review) return review.data.nextReviewDue;
  return latest(summary.plans)?.data.firstReviewDue;
}

/** Where the reintegration stands, coarsely. */
export function phaseOf(
  summary: ReintegrationSummary,
): 'not_started' | 'assessing' | 'return_decided' | 'returned' | 'reintegrating' | 'closed' {
  if (summary.status === 'closed') return 'closed';
  if (summary.plans.length > 0 || summary.reviews.length > 0) return 'reintegrating';
  if (summary.executions.length > 0) return 'returned';
  if (summary.returns.length > 0) return 'return_decided';
  if (
    summary.riskAssessments.length +
      summary.familyAssessments.length +
      summary.bestInterests.length +
      summary.childViews.length >
    0
  )
    return 'assessing';
  return 'not_started';
}
