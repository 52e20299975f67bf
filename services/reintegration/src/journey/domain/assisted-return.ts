import type { ASSISTED_RETURN_PRECONDITIONS, ReintegrationEventData } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { AssistedReturnRequest, JourneyFacts } from './commands.js';
import { latest, type ReintegrationSummary } from './summary.js';

export type Precondition = (typeof ASSISTED_RETURN_PRECONDITIONS)[number];

/** A precondition that is missing: a supervisor may waive it with a reason. */
export interface Shortfall {
  readonly code: Precondition;
  readonly message: string;
  readonly field?: string;
}

export interface AssistedReturnCheck {
  readonly shortfalls: readonly Shortfall[];
  readonly basis: ReintegrationEventData<'AssistedReturnDecided'>['basis'];
}

const DAY_MS = 86_400_000;

/**
 * The legal preconditions of an assisted return (CoE 16(2) and 16(7), Palermo 8(2), UNICEF
 * guidelines, OHCHR guideline 8): a recent return risk assessment that does not rate any risk
 * high; a voluntary return; for a child, a best-interests determination choosing return, a family
 * assessment, the child's recorded views and, when unaccompanied, a guardian. A destination family that a family assessment found
 * implicated in the trafficking is refused outright (no override: the answer is a new assessment,
 * or another destination). `now` and the allowed age come in with the command.
 */
export function checkAssistedReturn(
  summary: ReintegrationSummary,
  request: Pick<AssistedReturnRequest, 'voluntary' | 'destination'>,
  journey: JourneyFacts,
  now: string,
  riskAssessmentMaxAgeDays: number,
): AssistedReturnCheck {
  const shortfalls: Shortfall[] = [];
  if (!request.voluntary)
    shortfalls.push({
      code: 'RETURN_NOT_VOLUNTARY',
      message: 'An assisted return is voluntary; a forced return is an authority’s decision',
      field: 'voluntary',
    });

  const returnRisk = latest(summary.riskAssessments.filter((risk) => risk.data.scope === 'return'));
  if (!returnRisk) {
    shortfalls.push({
      code: 'RETURN_RISK_ASSESSMENT_REQUIRED',
      message: 'A return risk assessment is required before a return is decided',
    });
  } else if (
    Date.parse(now) - Date.parse(returnRisk.occurredAt) >
    riskAssessmentMaxAgeDays * DAY_MS
  ) {
    shortfalls.push({
      code: 'RETURN_RISK_ASSESSMENT_OUTDATED',
      message: `The latest return risk assessment is older than ${String(riskAssessmentMaxAgeDays)} days`,
    });
  }
  const highRisk = (['return', 're_trafficking', 'reprisal'] as const).some(
    (scope) =>
      latest(summary.riskAssessments.filter((risk) => risk.data.scope === scope))?.data.level ===
      'high',
  );
  if (highRisk)
    shortfalls.push({
      code: 'RETURN_RISK_HIGH',
      message: 'The latest risk assessment rates a return, re-trafficking or reprisal risk high',
    });

  const family = destinationFamily(summary, request);
  const familyAssessment = family ?? latest(summary.familyAssessments);
  const bestInterests = latest(summary.bestInterests);
  const views = latest(summary.childViews);
  if (journey.presumedChild) {
    if (!bestInterests)
      shortfalls.push({
        code: 'BEST_INTERESTS_DETERMINATION_REQUIRED',
        message: 'A child is returned only after a best-interests determination',
      });
    else if (bestInterests.data.durableSolution !== 'return')
      shortfalls.push({
        code: 'BEST_INTERESTS_NOT_RETURN',
        message: `The best-interests determination chose ${bestInterests.data.durableSolution}, not return`,
      });
    if (!familyAssessment)
      shortfalls.push({
        code: 'FAMILY_ASSESSMENT_REQUIRED',
        message: 'A child is returned only after a family assessment',
        ...(request.destination.kind === 'family'
          ? { field: 'destination.familyAssessmentId' }
          : {}),
      });
    else if (family && !(family.data.ableToCare && family.data.willingToCare))
      shortfalls.push({
        code: 'FAMILY_NOT_ABLE_OR_WILLING',
        message:
          'The family assessment found the family not able or not willing to care for the child',
        field: 'destination.familyAssessmentId',
      });
    if (!views)
      shortfalls.push({
        code: 'CHILD_VIEWS_REQUIRED',
        message: "The child's views must be heard and recorded before a return is decided",
      });
    if (journey.unaccompanied && !journey.guardianAppointed)
      shortfalls.push({
        code: 'GUARDIAN_REQUIRED',
        message: 'An unaccompanied child has a guardian appointed before a return is decided',
      });
  }

  return {
    shortfalls,
    basis: {
      ...(returnRisk ? { riskAssessmentEventId: returnRisk.eventId } : {}),
      ...(journey.presumedChild && bestInterests
        ? { bestInterestsEventId: bestInterests.eventId }
        : {}),
      ...(familyAssessment ? { familyAssessmentEventId: familyAssessment.eventId } : {}),
      ...(journey.presumedChild && views ? { childViewsEventId: views.eventId } : {}),
    },
  };
}

/**
 * The family assessment of the family returned to, when the destination is a family. Refuses a
 * family that an assessment found implicated, and an unnamed family when any assessment found one
 * implicated (which family it is cannot then be told).
 */
function destinationFamily(
  summary: ReintegrationSummary,
  request: Pick<AssistedReturnRequest, 'destination'>,
): ReintegrationSummary['familyAssessments'][number] | undefined {
  const { destination } = request;
  if (destination.kind !== 'family') return undefined;
  const implicated = new DomainError(
    'DESTINATION_FAMILY_IMPLICATED',
    'A family assessment found this family implicated in the trafficking: it cannot be the destination',
    'precondition',
    'destination.familyAssessmentId',
  );
  if (destination.familyAssessmentId === undefined) {
    if (summary.familyAssessments.some((assessment) => assessment.data.familyImplicated))
      throw implicated;
    return latest(summary.familyAssessments);
  }
  const named = summary.familyAssessments.find(
    (assessment) => assessment.data.familyAssessmentId === destination.familyAssessmentId,
  );
  if (!named)
    throw new DomainError(
      'FAMILY_ASSESSMENT_NOT_FOUND',
      'No such family assessment on this journey',
      'precondition',
      'destination.familyAssessmentId',
    );
  if (named.data.familyImplicated) throw implicated;
  return named;
}
