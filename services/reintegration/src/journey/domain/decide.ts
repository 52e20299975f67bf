import { reintegrationEventData } from '@waypoint/contracts';
import { decideCorrection, DomainError, type CorrectionRules } from '@waypoint/decider';
import { checkAssistedReturn } from './assisted-return.js';
import type { ReintegrationCommand } from './commands.js';
import type { ReintegrationState, StoredEntry, StoredEvent } from './state.js';
import { executed, summarise, type ReintegrationSummary } from './summary.js';

type Command<Type extends ReintegrationCommand['type']> = Extract<
  ReintegrationCommand,
  { type: Type }
>;

function assertOpen(summary: ReintegrationSummary): void {
  if (summary.status === 'closed')
    throw new DomainError(
      'JOURNEY_CLOSED',
      'The reintegration journey is closed; facts are still recorded, decisions are not',
      'conflict',
    );
}

function returnNamed(summary: ReintegrationSummary, returnId: string | undefined): void {
  if (
    returnId !== undefined &&
    !summary.returns.some((decision) => decision.decision.data.returnId === returnId)
  )
    throw new DomainError(
      'RETURN_NOT_FOUND',
      'No such return decision on this journey',
      'precondition',
      'returnId',
    );
}

function returnIdFree(summary: ReintegrationSummary, returnId: string): void {
  if (summary.returns.some((decision) => decision.decision.data.returnId === returnId))
    throw new DomainError(
      'RETURN_ALREADY_RECORDED',
      'This return id is taken',
      'conflict',
      'returnId',
    );
}

/**
 * A fact is recorded as it is told, whatever it says about the lawfulness of what happened (the
 * audit judges that); it is refused only when it is not well formed: in the future, referring to
 * nothing, or duplicating what is on record.
 */
function decideFact(summary: ReintegrationSummary, command: Command<'RecordFact'>): StoredEvent[] {
  const { event, occurredAt, now } = command;
  if (occurredAt !== undefined && occurredAt > now)
    throw new DomainError(
      'OCCURRED_IN_FUTURE',
      'A fact is recorded once it has happened',
      'precondition',
      'occurredAt',
    );
  const at = occurredAt ?? now;
  switch (event.type) {
    case 'FamilyAssessmentCompleted':
      if (
        summary.familyAssessments.some(
          (assessment) => assessment.data.familyAssessmentId === event.data.familyAssessmentId,
        )
      )
        throw new DomainError(
          'FAMILY_ASSESSMENT_ALREADY_RECORDED',
          'This family assessment id is taken',
          'conflict',
          'familyAssessmentId',
        );
      break;
    case 'ReturnDecided':
      returnIdFree(summary, event.data.returnId);
      break;
    case 'ReturnExecuted':
      returnNamed(summary, event.data.returnId);
      if (event.data.returnId !== undefined && executed(summary, event.data.returnId))
        throw new DomainError(
          'RETURN_ALREADY_EXECUTED',
          'This return was already recorded as carried out',
          'conflict',
          'returnId',
        );
      break;
    case 'ReceptionArrangedAtDestination':
      returnNamed(summary, event.data.returnId);
      break;
    case 'ReintegrationReviewCompleted':
      if (summary.reviews.some((review) => review.data.reviewId === event.data.reviewId))
        throw new DomainError(
          'REVIEW_ALREADY_RECORDED',
          'This review id is taken',
          'conflict',
          'reviewId',
        );
      if (event.data.nextReviewDue !== undefined && event.data.nextReviewDue <= at.slice(0, 10))
        throw new DomainError(
          'NEXT_REVIEW_NOT_AFTER_REVIEW',
          'The next review is due after this one',
          'precondition',
          'nextReviewDue',
        );
      break;
    case 'RiskAssessmentCompleted':
    case 'BestInterestsDetermined':
    case 'ChildViewsRecorded':
    case 'ReTraffickingReported':
      break;
  }
  return [occurredAt === undefined ? event : { ...event, occurredAt }];
}

/**
 * An assisted return decided through Waypoint: refused while a precondition is missing, unless a
 * supervisor waives the missing ones with a reason, in their own name. The override is its own
 * event, appended with the decision, and names exactly what it waived.
 */
function decideAssistedReturn(
  summary: ReintegrationSummary,
  command: Command<'DecideAssistedReturn'>,
): StoredEvent[] {
  assertOpen(summary);
  const { data, actor, journey, overrideReason, now, riskAssessmentMaxAgeDays } = command;
  returnIdFree(summary, data.returnId);
  const pending = summary.returns.find(
    (decision) =>
      decision.kind === 'assisted' && !executed(summary, decision.decision.data.returnId),
  );
  if (pending)
    throw new DomainError(
      'RETURN_ALREADY_DECIDED',
      'An assisted return is already decided and not yet carried out; retract it to decide again',
      'conflict',
    );
  const { shortfalls, basis } = checkAssistedReturn(
    summary,
    data,
    journey,
    now,
    riskAssessmentMaxAgeDays,
  );
  const decided = (overridden: boolean): StoredEvent => ({
    type: 'AssistedReturnDecided',
    data: {
      ...data,
      decidedByOrgId: actor.orgId,
      presumedChild: journey.presumedChild,
      basis,
      overridden,
    },
  });
  if (overrideReason === undefined) {
    const [first] = shortfalls;
    if (first) throw new DomainError(first.code, first.message, 'precondition', first.field);
    return [decided(false)];
  }
  if (!actor.roles.includes('supervisor'))
    throw new DomainError(
      'OVERRIDE_REQUIRES_SUPERVISOR',
      'Only a supervisor can record an override, in their own name',
      'forbidden',
      'overrideReason',
    );
  const [firstWaived, ...otherWaived] = shortfalls.map((shortfall) => shortfall.code);
  if (firstWaived === undefined)
    throw new DomainError(
      'OVERRIDE_NOT_NEEDED',
      'Every precondition is met: decide without an override',
      'precondition',
      'overrideReason',
    );
  return [
    {
      type: 'AssistedReturnOverrideRecorded',
      data: {
        returnId: data.returnId,
        supervisorUserId: actor.userId,
        waived: [firstWaived, ...otherWaived],
        reason: overrideReason,
      },
    },
    decided(true),
  ];
}

/**
 * How a reintegration event is corrected: an override stays on record, and a guarded decision
 * is retracted and decided again rather than amended, so that its guards run again.
 */
const CORRECTIONS: CorrectionRules<StoredEntry> = {
  schemas: reintegrationEventData,
  notFound: 'No such event on this journey',
  namesTargetField: true,
  uncorrectable: {
    type: 'AssistedReturnOverrideRecorded',
    code: 'OVERRIDE_NOT_CORRECTABLE',
    message: 'An override stays on record; retract the decision it allowed instead',
  },
  decisions: {
    isDecision: (type) => type === 'AssistedReturnDecided',
    message:
      'A guarded decision is not amended: retract it and decide again, so the guards run again',
  },
};

export function decide(command: ReintegrationCommand, state: ReintegrationState): StoredEvent[] {
  switch (command.type) {
    case 'RecordFact':
      return decideFact(summarise(state.history), command);
    case 'DecideAssistedReturn':
      return decideAssistedReturn(summarise(state.history), command);
    case 'CreatePlan': {
      const summary = summarise(state.history);
      assertOpen(summary);
      if (summary.plans.some((plan) => plan.data.planId === command.data.planId))
        throw new DomainError(
          'PLAN_ALREADY_RECORDED',
          'This plan id is taken',
          'conflict',
          'planId',
        );
      if (command.data.firstReviewDue < command.now.slice(0, 10))
        throw new DomainError(
          'REVIEW_DATE_IN_PAST',
          'The first review cannot be due before the plan is made',
          'precondition',
          'firstReviewDue',
        );
      return [{ type: 'ReintegrationPlanCreated', data: command.data }];
    }
    case 'CloseJourney': {
      if (summarise(state.history).status === 'closed')
        throw new DomainError(
          'JOURNEY_ALREADY_CLOSED',
          'The reintegration journey is already closed',
          'conflict',
        );
      return [{ type: 'JourneyClosed', data: command.data }];
    }
    case 'RetractEvent':
    case 'AmendEvent':
      return decideCorrection(command, state.history, CORRECTIONS);
  }
}
