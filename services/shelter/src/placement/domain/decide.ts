import {
  addDays,
  shelterEventData,
  shelterFamily,
  type SHELTER_OVERRIDABLE_GUARDS,
  type ShelterEvent,
  type ShelterEventData,
  type HistoryEntry,
} from '@waypoint/contracts';
import { decideCorrection, DomainError, type Actor, type CorrectionRules } from '@waypoint/decider';
import type { MovementInput, PlacementCommand, ShelterFacts } from './commands.js';
import type { Placement, PlacementEvent, PlacementState } from './state.js';

type OverridableGuard = (typeof SHELTER_OVERRIDABLE_GUARDS)[number];
type Restriction = NonNullable<ShelterEventData<'ShelterAdmitted'>['restriction']>;
type Override = NonNullable<ShelterEventData<'ShelterAdmitted'>['override']>;

/** The longest a restriction of movement may run before it must be reviewed (a time limit, AS-06). */
export const MAX_RESTRICTION_DAYS = 30;

/** A guard a supervisor may override with a reason: the override is recorded with the decision. */
class OverridableRefusal {
  constructor(
    readonly guard: OverridableGuard,
    readonly error: DomainError,
  ) {}
}

function openPlacement(state: PlacementState): Placement {
  if (state.status !== 'placed')
    throw new DomainError(
      'NO_OPEN_PLACEMENT',
      'The person has no open shelter placement',
      'conflict',
    );
  return state.placement;
}

function assertOverrider(actor: Actor, overrideReason: string | undefined): void {
  if (overrideReason !== undefined && !actor.roles.includes('supervisor')) {
    throw new DomainError(
      'OVERRIDE_REQUIRES_SUPERVISOR',
      'Only a supervisor can record an override',
      'forbidden',
      'overrideReason',
    );
  }
}

/**
 * Refuses with the first overridable guard that fails, unless a supervisor overrides: then the
 * override names every guard it set aside. Nothing set aside, nothing recorded.
 */
function overrideOf(
  refusals: readonly OverridableRefusal[],
  actor: Actor,
  overrideReason: string | undefined,
): Override | undefined {
  const [first] = refusals;
  if (!first) return undefined;
  if (overrideReason === undefined) throw first.error;
  return {
    supervisorUserId: actor.userId,
    guards: refusals.map((refusal) => refusal.guard),
    reason: overrideReason,
  };
}

/** A restriction of movement needs a justification and a review date, soon (AS-06). */
function restrictionOf(movement: MovementInput, today: string): Restriction | undefined {
  if (!movement.restricted) {
    if (
      movement.justification !== undefined ||
      movement.justificationCode !== undefined ||
      movement.reviewDate !== undefined
    )
      throw new DomainError(
        'RESTRICTION_NOT_REQUESTED',
        'A restriction is described but freedomOfMovementRestricted is false',
        'precondition',
        'restriction',
      );
    return undefined;
  }
  const { justification, justificationCode, reviewDate } = movement;
  if (justification === undefined || justificationCode === undefined)
    throw new DomainError(
      'RESTRICTION_JUSTIFICATION_REQUIRED',
      'A restriction of freedom of movement needs a justification (code and text)',
      'precondition',
      justificationCode === undefined
        ? 'restriction.justificationCode'
        : 'restriction.justification',
    );
  if (reviewDate === undefined)
    throw new DomainError(
      'RESTRICTION_REVIEW_DATE_REQUIRED',
      'A restriction of freedom of movement needs a review date',
      'precondition',
      'restriction.reviewDate',
    );
  if (reviewDate <= today)
    throw new DomainError(
      'RESTRICTION_REVIEW_DATE_NOT_IN_FUTURE',
      'The review date must be after today',
      'precondition',
      'restriction.reviewDate',
    );
  if (reviewDate > addDays(today, MAX_RESTRICTION_DAYS))
    throw new DomainError(
      'RESTRICTION_REVIEW_TOO_LATE',
      `A restriction must be reviewed within ${String(MAX_RESTRICTION_DAYS)} days`,
      'precondition',
      'restriction.reviewDate',
    );
  return { justificationCode, justification, reviewDate };
}

/** Guards on the shelter a person is placed in, by admission or transfer. */
function placementGuards(
  shelter: ShelterFacts | null,
  presumedChild: boolean,
): { shelter: ShelterFacts; refusals: OverridableRefusal[] } {
  if (!shelter)
    throw new DomainError(
      'SHELTER_NOT_FOUND',
      'The shelter is not in the registry',
      'precondition',
      'shelterId',
    );
  if (shelter.closed)
    throw new DomainError(
      'SHELTER_CLOSED',
      'The shelter admits no one any more',
      'precondition',
      'shelterId',
    );
  if (shelter.childOnly && !presumedChild)
    throw new DomainError(
      'CHILD_ONLY_SHELTER',
      'A child-only shelter admits children only, and the person is not presumed a child',
      'precondition',
      'shelterId',
    );
  const refusals: OverridableRefusal[] = [];
  if (shelter.adultsOnly && presumedChild)
    refusals.push(
      new OverridableRefusal(
        'ADULT_SHELTER_FOR_PRESUMED_CHILD',
        new DomainError(
          'ADULT_SHELTER_FOR_PRESUMED_CHILD',
          'The person is presumed a child until assessed and the shelter admits adults only',
          'precondition',
          'shelterId',
        ),
      ),
    );
  if (shelter.occupied >= shelter.capacity)
    refusals.push(
      new OverridableRefusal(
        'SHELTER_AT_CAPACITY',
        new DomainError(
          'SHELTER_AT_CAPACITY',
          `The shelter is full (${String(shelter.occupied)} of ${String(shelter.capacity)})`,
          'conflict',
          'shelterId',
        ),
      ),
    );
  return { shelter, refusals };
}

function snapshotOf(shelter: ShelterFacts): ShelterEventData<'ShelterAdmitted'>['shelter'] {
  return {
    shelterId: shelter.shelterId,
    operatorOrgId: shelter.operatorOrgId,
    shelterType: shelter.type,
    secure: shelter.secure,
    childOnly: shelter.childOnly,
    adultsOnly: shelter.adultsOnly,
  };
}

function decideAdmission(
  state: PlacementState,
  command: Extract<PlacementCommand, { type: 'AdmitToShelter' }>,
): ShelterEvent[] {
  assertOverrider(command.actor, command.overrideReason);
  if (state.status === 'placed')
    throw new DomainError(
      'PLACEMENT_ALREADY_OPEN',
      'The person is already placed in a shelter: transfer them instead',
      'conflict',
      'shelterId',
    );
  const { shelter, refusals } = placementGuards(command.shelter, command.journey.presumedChild);
  const restriction = restrictionOf(command.movement, command.today);
  const consentId = command.journey.servicesConsentId;
  if (consentId === undefined)
    refusals.push(
      new OverridableRefusal(
        'SERVICES_CONSENT_REQUIRED',
        new DomainError(
          'SERVICES_CONSENT_REQUIRED',
          "Assistance is consensual: a valid services consent is needed, or a supervisor's override",
          'precondition',
          'consent',
        ),
      ),
    );
  const override = overrideOf(refusals, command.actor, command.overrideReason);
  return [
    {
      type: 'ShelterAdmitted',
      data: {
        placementId: command.placementId,
        shelter: snapshotOf(shelter),
        presumedChild: command.journey.presumedChild,
        ...(consentId === undefined ? {} : { consentId }),
        freedomOfMovementRestricted: restriction !== undefined,
        ...(restriction === undefined ? {} : { restriction }),
        ...(override === undefined ? {} : { override }),
      },
    },
  ];
}

function decideTransfer(
  state: PlacementState,
  command: Extract<PlacementCommand, { type: 'TransferToShelter' }>,
): ShelterEvent[] {
  assertOverrider(command.actor, command.overrideReason);
  const current = openPlacement(state);
  if (command.shelter?.shelterId === current.shelterId)
    throw new DomainError(
      'TRANSFER_TO_SAME_SHELTER',
      'The person is already placed in this shelter',
      'precondition',
      'shelterId',
    );
  const { shelter, refusals } = placementGuards(command.shelter, command.journey.presumedChild);
  const restriction = restrictionOf(command.movement, command.today);
  const override = overrideOf(refusals, command.actor, command.overrideReason);
  return [
    {
      type: 'ShelterTransferred',
      data: {
        placementId: command.placementId,
        fromPlacementId: current.placementId,
        fromShelterId: current.shelterId,
        shelter: snapshotOf(shelter),
        reason: command.reason,
        presumedChild: command.journey.presumedChild,
        freedomOfMovementRestricted: restriction !== undefined,
        ...(restriction === undefined ? {} : { restriction }),
        ...(override === undefined ? {} : { override }),
      },
    },
  ];
}

function decideExit(
  state: PlacementState,
  command: Extract<PlacementCommand, { type: 'ExitShelter' }>,
): ShelterEvent[] {
  assertOverrider(command.actor, command.overrideReason);
  const current = openPlacement(state);
  if (command.reason === 'other' && command.details === undefined)
    throw new DomainError(
      'EXIT_REASON_DETAILS_REQUIRED',
      "An exit for the reason 'other' needs details",
      'precondition',
      'details',
    );
  const refusals =
    command.reason === 'non_cooperation'
      ? [
          new OverridableRefusal(
            'EXIT_CONDITIONAL_ON_COOPERATION',
            new DomainError(
              'EXIT_CONDITIONAL_ON_COOPERATION',
              'Shelter does not depend on cooperation with the authorities (CoE 12(6), EU 11(3))',
              'precondition',
              'reason',
            ),
          ),
        ]
      : [];
  const override = overrideOf(refusals, command.actor, command.overrideReason);
  return [
    {
      type: 'ShelterExited',
      data: {
        placementId: current.placementId,
        shelterId: current.shelterId,
        reason: command.reason,
        ...(command.details === undefined ? {} : { details: command.details }),
        ...(override === undefined ? {} : { override }),
      },
    },
  ];
}

function decideReview(
  state: PlacementState,
  command: Extract<PlacementCommand, { type: 'ReviewMovementRestriction' }>,
): ShelterEvent[] {
  const current = openPlacement(state);
  if (!current.freedomOfMovementRestricted)
    throw new DomainError(
      'NO_RESTRICTION_TO_REVIEW',
      "The person's freedom of movement is not restricted",
      'conflict',
    );
  const restriction = restrictionOf(command.movement, command.today);
  return [
    {
      type: 'MovementRestrictionReviewed',
      data: {
        placementId: current.placementId,
        outcome: restriction === undefined ? 'lifted' : 'continued',
        ...(restriction === undefined ? {} : { restriction }),
      },
    },
  ];
}

const PLACEMENT_EVENTS: ReadonlySet<string> = new Set([
  'ShelterAdmitted',
  'ShelterTransferred',
  'ShelterExited',
  'MovementRestrictionReviewed',
]);

/**
 * A decision is not amended: it is retracted and taken again, through its guards. Only the latest
 * placement decision is retracted: an earlier one would leave the later ones (a transfer from it,
 * an exit after a re-admission) describing placements that never were.
 */
const CORRECTIONS: CorrectionRules<HistoryEntry<PlacementEvent>> = {
  schemas: shelterEventData,
  notFound: 'No such event on this journey',
  namesTargetField: true,
  decisions: {
    isDecision: (type) => shelterFamily.definition(type).origin === 'decision',
    message:
      'A decision is not amended: retract it and take the decision again, through its guards',
  },
  checkRetraction(target, later, field) {
    if (
      PLACEMENT_EVENTS.has(target.event.type) &&
      later.some(({ event }) => PLACEMENT_EVENTS.has(event.type))
    )
      throw new DomainError(
        'LATER_PLACEMENT_DECISION_FIRST',
        'A later placement decision depends on this one: retract that first',
        'conflict',
        field,
      );
  },
};

export function decide(command: PlacementCommand, state: PlacementState): ShelterEvent[] {
  switch (command.type) {
    case 'AdmitToShelter':
      return decideAdmission(state, command);
    case 'TransferToShelter':
      return decideTransfer(state, command);
    case 'ExitShelter':
      return decideExit(state, command);
    case 'ReviewMovementRestriction':
      return decideReview(state, command);
    case 'RecordRiskAssessment': {
      const placementId = state.status === 'placed' ? state.placement.placementId : undefined;
      return [
        {
          type: 'RiskAssessmentCompleted',
          data: { ...command.data, ...(placementId === undefined ? {} : { placementId }) },
        },
      ];
    }
    case 'RecordIncident': {
      const placement = state.status === 'placed' ? state.placement : undefined;
      const incident: ShelterEvent & { readonly occurredAt?: string } = {
        type: 'IncidentRecorded',
        data: {
          ...command.data,
          ...(placement === undefined
            ? {}
            : { placementId: placement.placementId, shelterId: placement.shelterId }),
        },
        ...(command.occurredAt === undefined ? {} : { occurredAt: command.occurredAt }),
      };
      return [incident];
    }
    case 'RetractEvent':
    case 'AmendEvent':
      return decideCorrection(command, state.history, CORRECTIONS);
  }
}
