import {
  isEncryptedField,
  reintegrationFamily,
  type ReintegrationEvent,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';
import { codec } from './codec.js';
import { checkAssistedReturn } from './domain/assisted-return.js';
import type { JourneyFacts } from './domain/commands.js';
import { currentSituation } from './domain/situation.js';
import { evolve } from './domain/evolve.js';
import { initialState } from './domain/state.js';
import {
  executed,
  latest,
  nextReviewDue,
  phaseOf,
  summarise,
  type Entry,
  type ReintegrationSummary,
} from './domain/summary.js';

export type { Sealed };

/** An event's data as a reader gets it: every classified field sealed, ready to be revealed per role. */
export type Presented = { eventId: string; occurredAt: string } & Record<string, unknown>;

function setAt(data: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    data[head] = value;
    return;
  }
  const inner = data[head];
  if (typeof inner !== 'object' || inner === null) return;
  const copy = { ...(inner as Record<string, unknown>) };
  data[head] = copy;
  setAt(copy, rest, value);
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The data of one event with each field the family classifies replaced by a sealed value (or
 * dropped when it holds anything but ciphertext: a reader never gets plaintext by accident).
 */
function present<Data>(type: ReintegrationEvent['type'], entry: Entry<Data>): Presented {
  const data: Record<string, unknown> = { ...(entry.data as Record<string, unknown>) };
  for (const path of Object.keys(reintegrationFamily.definition(type).encrypted)) {
    const parts = path.split('.');
    setAt(data, parts, sealedFrom(valueAt(data, parts), entry.dataEventId, isEncryptedField));
  }
  return { ...data, eventId: entry.eventId, occurredAt: entry.occurredAt };
}

export interface Folded {
  readonly summary: ReintegrationSummary;
  /** The stream's revision; undefined when nothing was recorded yet. */
  readonly revision: number | undefined;
}

export function fold(events: readonly RecordedEvent[]): Folded {
  const state = events.map((event) => codec.decode(event)).reduce(evolve, initialState());
  return { summary: summarise(state.history), revision: events[events.length - 1]?.revision };
}

/** The score history: every review's RSS scores in order, and the change from the first. */
export function scoreHistory(summary: ReintegrationSummary) {
  const reviews = summary.reviews.map((review) => present('ReintegrationReviewCompleted', review));
  const first = summary.reviews[0]?.data.scores;
  const last = latest(summary.reviews)?.data.scores;
  return {
    reviews,
    changeFromFirst:
      first && last
        ? {
            economic: last.economic - first.economic,
            social: last.social - first.social,
            psychosocial: last.psychosocial - first.psychosocial,
          }
        : undefined,
  };
}

export function nextReview(summary: ReintegrationSummary, today: string) {
  const due = nextReviewDue(summary);
  return {
    status: summary.status,
    nextReviewDue: due,
    overdue: due !== undefined && due < today,
    lastReviewAt: latest(summary.reviews)?.occurredAt,
  };
}

/**
 * The reintegration status as a caseworker reads it, folded from the effective events
 * (corrections applied). Personal values stay sealed here; they are revealed per reader.
 */
export function reintegrationView(
  summary: ReintegrationSummary,
  journey: JourneyFacts,
  now: Date,
  riskAssessmentMaxAgeDays: number,
) {
  const readiness = checkAssistedReturn(
    summary,
    { voluntary: true, destination: { kind: 'other', placeType: 'other' } },
    journey,
    now.toISOString(),
    riskAssessmentMaxAgeDays,
  );
  return {
    phase: phaseOf(summary),
    presumedChild: journey.presumedChild,
    ...nextReview(summary, now.toISOString().slice(0, 10)),
    /** What an assisted return would still need now (destination checks aside). */
    assistedReturnShortfalls: readiness.shortfalls.map((shortfall) => shortfall.code),
    riskAssessments: summary.riskAssessments.map((entry) =>
      present('RiskAssessmentCompleted', entry),
    ),
    familyAssessments: summary.familyAssessments.map((entry) =>
      present('FamilyAssessmentCompleted', entry),
    ),
    bestInterests: summary.bestInterests.map((entry) => present('BestInterestsDetermined', entry)),
    childViews: summary.childViews.map((entry) => present('ChildViewsRecorded', entry)),
    returns: summary.returns.map((decision) => ({
      kind: decision.kind,
      ...(decision.kind === 'authority'
        ? present('ReturnDecided', decision.decision)
        : {
            ...present('AssistedReturnDecided', decision.decision),
            override: decision.override
              ? present('AssistedReturnOverrideRecorded', decision.override)
              : undefined,
          }),
      executed: executed(summary, decision.decision.data.returnId),
    })),
    executions: summary.executions.map((entry) => present('ReturnExecuted', entry)),
    receptions: summary.receptions.map((entry) => present('ReceptionArrangedAtDestination', entry)),
    plans: summary.plans.map((entry) => present('ReintegrationPlanCreated', entry)),
    reviews: scoreHistory(summary).reviews,
    /** Housing, work, school, feeling safe and legal status as the reviews last found them. */
    situation: currentSituation(summary),
    reTrafficking: summary.reTrafficking.map((entry) => present('ReTraffickingReported', entry)),
    closure: summary.closure ? present('JourneyClosed', summary.closure) : undefined,
    corrections: summary.corrections,
  };
}
