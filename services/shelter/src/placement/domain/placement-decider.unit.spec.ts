import type { Actor } from '@waypoint/decider';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import type { MovementInput, PlacementCommand, ShelterFacts } from './commands.js';
import { placementDecider } from './placement-decider.js';
import type { PlacementEvent } from './state.js';

const spec = deciderSpec(placementDecider);
const ids = {
  org: '01936d8e-0000-7000-8000-0000000000a1',
  shelterA: '01936d8e-0000-7000-8000-0000000000b1',
  shelterB: '01936d8e-0000-7000-8000-0000000000b2',
  placement1: '01936d8e-0000-7000-8000-0000000000c1',
  placement2: '01936d8e-0000-7000-8000-0000000000c2',
  consent: '01936d8e-0000-7000-8000-0000000000d1',
  assessment: '01936d8e-0000-7000-8000-0000000000e1',
  incident: '01936d8e-0000-7000-8000-0000000000e2',
};
const caseworker: Actor = { userId: 'cw-1', orgId: ids.org, roles: ['shelter_staff'] };
const supervisor: Actor = { userId: 'sv-1', orgId: ids.org, roles: ['supervisor'] };
const today = '2026-05-01';

const shelter = (overrides: Partial<ShelterFacts> = {}): ShelterFacts => ({
  shelterId: ids.shelterA,
  operatorOrgId: ids.org,
  type: 'emergency',
  capacity: 10,
  childOnly: false,
  adultsOnly: false,
  secure: false,
  closed: false,
  occupied: 3,
  ...overrides,
});
const snapshot = (id = ids.shelterA, overrides: Partial<ShelterFacts> = {}) => {
  const facts = shelter({ shelterId: id, ...overrides });
  return {
    shelterId: facts.shelterId,
    operatorOrgId: facts.operatorOrgId,
    shelterType: facts.type,
    secure: facts.secure,
    childOnly: facts.childOnly,
    adultsOnly: facts.adultsOnly,
  };
};
const adult = { presumedChild: false, servicesConsentId: ids.consent };
const child = { presumedChild: true, servicesConsentId: ids.consent };
const unrestricted = { restricted: false };
const restricted = {
  restricted: true,
  justificationCode: 'threat_from_traffickers' as const,
  justification: 'Traffickers know the old address',
  reviewDate: '2026-05-15',
};

const admit = (
  overrides: Partial<Extract<PlacementCommand, { type: 'AdmitToShelter' }>> = {},
): PlacementCommand => ({
  type: 'AdmitToShelter',
  placementId: ids.placement1,
  shelter: shelter(),
  journey: adult,
  movement: unrestricted,
  actor: caseworker,
  today,
  ...overrides,
});
const transfer = (
  overrides: Partial<Extract<PlacementCommand, { type: 'TransferToShelter' }>> = {},
): PlacementCommand => ({
  type: 'TransferToShelter',
  placementId: ids.placement2,
  shelter: shelter({ shelterId: ids.shelterB }),
  journey: adult,
  movement: unrestricted,
  reason: 'safety',
  actor: caseworker,
  today,
  ...overrides,
});
const exit = (
  overrides: Partial<Extract<PlacementCommand, { type: 'ExitShelter' }>> = {},
): PlacementCommand => ({
  type: 'ExitShelter',
  reason: 'moved_to_independent_housing',
  actor: caseworker,
  today,
  ...overrides,
});
const review = (movement: MovementInput = unrestricted): PlacementCommand => ({
  type: 'ReviewMovementRestriction',
  movement,
  actor: caseworker,
  today,
});

const admitted: PlacementEvent = {
  type: 'ShelterAdmitted',
  data: {
    placementId: ids.placement1,
    shelter: snapshot(),
    presumedChild: false,
    consentId: ids.consent,
    freedomOfMovementRestricted: false,
  },
  eventId: 'e-admitted',
};
const admittedRestricted: PlacementEvent = {
  type: 'ShelterAdmitted',
  data: {
    placementId: ids.placement1,
    shelter: snapshot(),
    presumedChild: false,
    consentId: ids.consent,
    freedomOfMovementRestricted: true,
    restriction: {
      justificationCode: 'threat_from_traffickers',
      justification: 'Traffickers know the old address',
      reviewDate: '2026-05-15',
    },
  },
  eventId: 'e-admitted',
};
const transferred: PlacementEvent = {
  type: 'ShelterTransferred',
  data: {
    placementId: ids.placement2,
    fromPlacementId: ids.placement1,
    fromShelterId: ids.shelterA,
    shelter: snapshot(ids.shelterB),
    reason: 'safety',
    presumedChild: false,
    freedomOfMovementRestricted: false,
  },
  eventId: 'e-transferred',
};
const exited: PlacementEvent = {
  type: 'ShelterExited',
  data: { placementId: ids.placement1, shelterId: ids.shelterA, reason: 'left_voluntarily' },
  eventId: 'e-exited',
};
const assessed: PlacementEvent = {
  type: 'RiskAssessmentCompleted',
  data: {
    assessmentId: ids.assessment,
    scope: 'safety',
    level: 'high',
    risks: ['threats_received'],
    assessedByOrgId: ids.org,
  },
  eventId: 'e-assessed',
};

describe('placement decider', () => {
  describe('given a journey never placed', () => {
    it('admits to a shelter with room, on the services consent', () => {
      const { eventId: _eventId, ...event } = admitted;
      spec.given([]).when(admit()).then([event]);
    });
    it('admits with a restriction of movement that has a justification and a near review date', () => {
      const { eventId: _eventId, ...event } = admittedRestricted;
      spec
        .given([])
        .when(admit({ movement: restricted }))
        .then([event]);
    });
    it('refuses a restriction without a justification, without a review date, or with a far or past one', () => {
      const { justification: _j, ...noText } = restricted;
      spec
        .given([])
        .when(admit({ movement: noText }))
        .thenFails('RESTRICTION_JUSTIFICATION_REQUIRED', 'restriction.justification');
      const { reviewDate: _r, ...noDate } = restricted;
      spec
        .given([])
        .when(admit({ movement: noDate }))
        .thenFails('RESTRICTION_REVIEW_DATE_REQUIRED', 'restriction.reviewDate');
      spec
        .given([])
        .when(admit({ movement: { ...restricted, reviewDate: today } }))
        .thenFails('RESTRICTION_REVIEW_DATE_NOT_IN_FUTURE', 'restriction.reviewDate');
      spec
        .given([])
        .when(admit({ movement: { ...restricted, reviewDate: '2026-06-01' } }))
        .thenFails('RESTRICTION_REVIEW_TOO_LATE', 'restriction.reviewDate');
      spec
        .given([])
        .when(admit({ movement: { ...restricted, reviewDate: '2026-05-31' } }))
        .then([expect.objectContaining({ type: 'ShelterAdmitted' }) as PlacementEvent]);
    });
    it('refuses a restriction described without the flag', () => {
      spec
        .given([])
        .when(admit({ movement: { ...restricted, restricted: false } }))
        .thenFails('RESTRICTION_NOT_REQUESTED', 'restriction');
    });
    it('refuses an unknown or closed shelter', () => {
      spec
        .given([])
        .when(admit({ shelter: null }))
        .thenFails('SHELTER_NOT_FOUND', 'shelterId');
      spec
        .given([])
        .when(admit({ shelter: shelter({ closed: true }) }))
        .thenFails('SHELTER_CLOSED', 'shelterId');
    });
    it('admits only children to a child-only shelter, even on a supervisor override', () => {
      spec
        .given([])
        .when(admit({ shelter: shelter({ childOnly: true }) }))
        .thenFails('CHILD_ONLY_SHELTER', 'shelterId');
      spec
        .given([])
        .when(
          admit({ shelter: shelter({ childOnly: true }), actor: supervisor, overrideReason: 'x' }),
        )
        .thenFails('CHILD_ONLY_SHELTER');
      spec
        .given([])
        .when(admit({ shelter: shelter({ childOnly: true }), journey: child }))
        .then([
          {
            type: 'ShelterAdmitted',
            data: {
              placementId: ids.placement1,
              shelter: snapshot(ids.shelterA, { childOnly: true }),
              presumedChild: true,
              consentId: ids.consent,
              freedomOfMovementRestricted: false,
            },
          },
        ]);
    });
    it('respects capacity unless a supervisor overrides, recording the guard and the reason', () => {
      const full = shelter({ occupied: 10 });
      spec
        .given([])
        .when(admit({ shelter: full }))
        .thenFails('SHELTER_AT_CAPACITY', 'shelterId');
      spec
        .given([])
        .when(admit({ shelter: full, overrideReason: 'Night, nowhere else' }))
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR', 'overrideReason');
      spec
        .given([])
        .when(admit({ shelter: full, actor: supervisor, overrideReason: 'Night, nowhere else' }))
        .then([
          {
            type: 'ShelterAdmitted',
            data: {
              placementId: ids.placement1,
              shelter: snapshot(),
              presumedChild: false,
              consentId: ids.consent,
              freedomOfMovementRestricted: false,
              override: {
                supervisorUserId: 'sv-1',
                guards: ['SHELTER_AT_CAPACITY'],
                reason: 'Night, nowhere else',
              },
            },
          },
        ]);
    });
    it('does not place a presumed child in an adults-only shelter unless a supervisor overrides', () => {
      const adultsOnly = shelter({ adultsOnly: true });
      spec
        .given([])
        .when(admit({ shelter: adultsOnly, journey: child }))
        .thenFails('ADULT_SHELTER_FOR_PRESUMED_CHILD', 'shelterId');
      spec
        .given([])
        .when(
          admit({
            shelter: adultsOnly,
            journey: { presumedChild: true, servicesConsentId: undefined },
            actor: supervisor,
            overrideReason: 'Mother and baby, no family shelter free',
          }),
        )
        .then([
          expect.objectContaining({
            data: expect.objectContaining({
              override: expect.objectContaining({
                guards: ['ADULT_SHELTER_FOR_PRESUMED_CHILD', 'SERVICES_CONSENT_REQUIRED'],
              }),
            }),
          }) as PlacementEvent,
        ]);
    });
    it('needs a valid services consent, or a supervisor override', () => {
      const noConsent = { presumedChild: false, servicesConsentId: undefined };
      spec
        .given([])
        .when(admit({ journey: noConsent }))
        .thenFails('SERVICES_CONSENT_REQUIRED', 'consent');
    });
    it('records no override when nothing needed overriding', () => {
      const [event] = placementDecider.decide(
        admit({ actor: supervisor, overrideReason: 'Just in case' }),
        placementDecider.initialState(),
      );
      expect(event?.data).not.toHaveProperty('override');
    });
    it('has nothing to transfer, exit or review', () => {
      spec.given([]).when(transfer()).thenFails('NO_OPEN_PLACEMENT');
      spec.given([]).when(exit()).thenFails('NO_OPEN_PLACEMENT');
      spec.given([]).when(review()).thenFails('NO_OPEN_PLACEMENT');
    });
    it('records a safety risk assessment and an incident, linked to no placement', () => {
      const { eventId: _eventId, ...event } = assessed;
      spec.given([]).when({ type: 'RecordRiskAssessment', data: event.data }).then([event]);
      spec
        .given([])
        .when({
          type: 'RecordIncident',
          data: {
            incidentId: ids.incident,
            kind: 'threat_from_traffickers',
            severity: 'high',
            occurredOn: '2026-04-30',
            policeNotified: true,
          },
        })
        .then([
          {
            type: 'IncidentRecorded',
            data: {
              incidentId: ids.incident,
              kind: 'threat_from_traffickers',
              severity: 'high',
              occurredOn: '2026-04-30',
              policeNotified: true,
            },
          },
        ]);
    });
  });

  describe('given an open placement', () => {
    it('refuses a second admission: transfer instead', () => {
      spec.given([admitted]).when(admit()).thenFails('PLACEMENT_ALREADY_OPEN', 'shelterId');
    });
    it('transfers to another shelter, ending the placement', () => {
      const { eventId: _eventId, ...event } = transferred;
      spec.given([admitted]).when(transfer()).then([event]);
    });
    it('does not transfer to the same shelter, nor to a full one without an override', () => {
      spec
        .given([admitted])
        .when(transfer({ shelter: shelter() }))
        .thenFails('TRANSFER_TO_SAME_SHELTER', 'shelterId');
      spec
        .given([admitted])
        .when(transfer({ shelter: shelter({ shelterId: ids.shelterB, occupied: 10 }) }))
        .thenFails('SHELTER_AT_CAPACITY');
      spec
        .given([admitted])
        .when(transfer({ shelter: shelter({ shelterId: ids.shelterB, childOnly: true }) }))
        .thenFails('CHILD_ONLY_SHELTER');
    });
    it('exits for a lawful reason; other needs details', () => {
      spec
        .given([admitted])
        .when(exit())
        .then([
          {
            type: 'ShelterExited',
            data: {
              placementId: ids.placement1,
              shelterId: ids.shelterA,
              reason: 'moved_to_independent_housing',
            },
          },
        ]);
      spec
        .given([admitted])
        .when(exit({ reason: 'other' }))
        .thenFails('EXIT_REASON_DETAILS_REQUIRED', 'details');
    });
    it('does not end shelter for non-cooperation, unless a supervisor overrides (the audit flags it)', () => {
      spec
        .given([admitted])
        .when(exit({ reason: 'non_cooperation' }))
        .thenFails('EXIT_CONDITIONAL_ON_COOPERATION', 'reason');
      spec
        .given([admitted])
        .when(exit({ reason: 'non_cooperation', actor: supervisor, overrideReason: 'Refused' }))
        .then([
          {
            type: 'ShelterExited',
            data: {
              placementId: ids.placement1,
              shelterId: ids.shelterA,
              reason: 'non_cooperation',
              override: {
                supervisorUserId: 'sv-1',
                guards: ['EXIT_CONDITIONAL_ON_COOPERATION'],
                reason: 'Refused',
              },
            },
          },
        ]);
    });
    it('has no restriction to review when movement is free', () => {
      spec.given([admitted]).when(review()).thenFails('NO_RESTRICTION_TO_REVIEW');
    });
    it('links an assessment to the placement', () => {
      const { eventId: _eventId, ...event } = assessed;
      spec
        .given([admitted])
        .when({ type: 'RecordRiskAssessment', data: event.data })
        .then([{ ...event, data: { ...event.data, placementId: ids.placement1 } }]);
    });
  });

  describe('given an open placement with movement restricted', () => {
    it('lifts the restriction', () => {
      spec
        .given([admittedRestricted])
        .when(review())
        .then([
          {
            type: 'MovementRestrictionReviewed',
            data: { placementId: ids.placement1, outcome: 'lifted' },
          },
        ]);
    });
    it('continues it with a new justification and review date', () => {
      spec
        .given([admittedRestricted])
        .when(review({ ...restricted, reviewDate: '2026-05-20' }))
        .then([
          {
            type: 'MovementRestrictionReviewed',
            data: {
              placementId: ids.placement1,
              outcome: 'continued',
              restriction: {
                justificationCode: 'threat_from_traffickers',
                justification: 'Traffickers know the old address',
                reviewDate: '2026-05-20',
              },
            },
          },
        ]);
    });
    it('after the restriction is lifted, there is nothing left to review', () => {
      const lifted: PlacementEvent = {
        type: 'MovementRestrictionReviewed',
        data: { placementId: ids.placement1, outcome: 'lifted' },
        eventId: 'e-lifted',
      };
      spec.given([admittedRestricted, lifted]).when(review()).thenFails('NO_RESTRICTION_TO_REVIEW');
    });
  });

  describe('given a placement that ended', () => {
    it('admits again', () => {
      spec
        .given([admitted, exited])
        .when(admit({ placementId: ids.placement2 }))
        .then([expect.objectContaining({ type: 'ShelterAdmitted' }) as PlacementEvent]);
    });
    it('has nothing to transfer or exit', () => {
      spec.given([admitted, exited]).when(transfer()).thenFails('NO_OPEN_PLACEMENT');
      spec.given([admitted, exited]).when(exit()).thenFails('NO_OPEN_PLACEMENT');
    });
  });

  describe('corrections', () => {
    const retract = (retractedEventId: string): PlacementCommand => ({
      type: 'RetractEvent',
      data: { retractedEventId, reasonCode: 'recorded-in-error' },
    });
    it('retracts the latest placement decision, which then no longer counts', () => {
      const retraction: PlacementEvent = {
        type: 'EventRetracted',
        data: { retractedEventId: 'e-exited', reasonCode: 'recorded-in-error' },
        eventId: 'e-retraction',
      };
      spec
        .given([admitted, exited])
        .when(retract('e-exited'))
        .then([{ type: 'EventRetracted', data: retraction.data }]);
      spec
        .given([admitted, exited, retraction])
        .when(admit({ placementId: ids.placement2 }))
        .thenFails('PLACEMENT_ALREADY_OPEN');
    });
    it('retracts a placement decision only once the later ones are retracted', () => {
      spec
        .given([admitted, transferred])
        .when(retract('e-admitted'))
        .thenFails('LATER_PLACEMENT_DECISION_FIRST', 'retractedEventId');
      spec
        .given([admitted, assessed])
        .when(retract('e-admitted'))
        .then([
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-admitted', reasonCode: 'recorded-in-error' },
          },
        ]);
    });
    it('refuses unknown, already retracted, or correction targets', () => {
      const retraction: PlacementEvent = {
        type: 'EventRetracted',
        data: { retractedEventId: 'e-assessed', reasonCode: 'duplicate' },
        eventId: 'e-retraction',
      };
      spec.given([assessed]).when(retract('nope')).thenFails('EVENT_NOT_FOUND');
      spec
        .given([assessed, retraction])
        .when(retract('e-assessed'))
        .thenFails('EVENT_ALREADY_RETRACTED');
      spec
        .given([assessed, retraction])
        .when(retract('e-retraction'))
        .thenFails('CORRECTION_NOT_CORRECTABLE');
    });
    it('amends a fact with a valid replacement, never a decision', () => {
      const amend = (
        amendedEventId: string,
        replacement: Record<string, unknown>,
      ): PlacementCommand => ({
        type: 'AmendEvent',
        data: { amendedEventId, reasonCode: 'data-entry-error', replacement },
      });
      const replacement = { ...assessed.data, level: 'medium' };
      spec
        .given([assessed])
        .when(amend('e-assessed', replacement))
        .then([
          {
            type: 'EventAmended',
            data: { amendedEventId: 'e-assessed', reasonCode: 'data-entry-error', replacement },
          },
        ]);
      spec
        .given([assessed])
        .when(amend('e-assessed', { ...replacement, level: 'extreme' }))
        .thenFails('AMENDMENT_INVALID', 'replacement.level');
      spec
        .given([admitted])
        .when(amend('e-admitted', admitted.data))
        .thenFails('DECISION_NOT_AMENDABLE');
    });
  });
});
