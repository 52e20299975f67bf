import type { CareEvent, CareEventData, IdentificationEvent } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';
import { deciderSpec } from '@waypoint/decider/spec';
import {
  evolveJourney,
  initialState as noJourney,
  type JourneyEvent,
  type JourneyState,
  type OpenJourney,
} from '@waypoint/journey-facts';
import { describe, expect, it } from 'vitest';
import { careDecider } from './care-decider.js';
import type { CareCommand, ClaimedBasis, PlannedObjective } from './commands.js';
import type { CareStreamEvent } from './state.js';

const spec = deciderSpec(careDecider);
const ids = {
  journey: '01936d8e-0000-7000-8000-000000000001',
  person: '01936d8e-0000-7000-8000-000000000002',
  ngo: '01936d8e-0000-7000-8000-0000000000a1',
  clinic: '01936d8e-0000-7000-8000-0000000000a2',
  consent: '01936d8e-0000-7000-8000-0000000000c1',
  plan: '01936d8e-0000-7000-8000-0000000000d1',
  otherPlan: '01936d8e-0000-7000-8000-0000000000d2',
  objective: '01936d8e-0000-7000-8000-0000000000e1',
  secondObjective: '01936d8e-0000-7000-8000-0000000000e2',
  authorisation: '01936d8e-0000-7000-8000-0000000000f1',
  delivery: '01936d8e-0000-7000-8000-0000000000f2',
};
const now = '2026-05-01T10:00:00.000Z';
const caseworker: Actor = { userId: 'cw-1', orgId: ids.ngo, roles: ['caseworker'] };
const supervisor: Actor = { userId: 'sv-1', orgId: ids.ngo, roles: ['supervisor'] };

function journeyWith(events: readonly JourneyEvent[]): OpenJourney {
  const state = events.reduce<JourneyState>(
    (current, event) => evolveJourney(current, event),
    noJourney(),
  );
  if (state.status !== 'open') throw new Error('the journey is not open');
  return state;
}
const opened: IdentificationEvent = {
  type: 'JourneyOpened',
  data: {
    journeyId: ids.journey,
    personId: ids.person,
    jurisdiction: 'NL',
    openedByOrgId: ids.ngo,
  },
};
const servicesConsent = (validUntil?: string): IdentificationEvent => ({
  type: 'ConsentRecorded',
  data: {
    consentId: ids.consent,
    scope: 'services',
    givenBy: 'self',
    informedOf: ['purpose', 'how_to_withdraw'],
    sharingWithOrgIds: [],
    ...(validUntil === undefined ? {} : { validUntil }),
  },
});
const withdrawn: IdentificationEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId: ids.consent, scope: 'services' },
};
const consented = journeyWith([opened, servicesConsent()]);
const unconsented = journeyWith([opened]);

const onConsent: ClaimedBasis = { legalBasis: 'consent' };
const psychological: PlannedObjective = { objectiveId: ids.objective, careCode: 'psychological' };

const createPlan = (
  overrides: Partial<Extract<CareCommand, { type: 'CreateCarePlan' }>> = {},
): CareCommand => ({
  type: 'CreateCarePlan',
  plan: { planId: ids.plan },
  objectives: [psychological],
  actor: caseworker,
  now,
  journey: consented,
  basis: onConsent,
  ...overrides,
});
const planCreated = (eventId = 'e-plan'): CareStreamEvent => ({
  type: 'CarePlanCreated',
  data: { planId: ids.plan, legalBasis: 'consent', consentId: ids.consent },
  eventId,
});
const objectiveAdded: CareStreamEvent = {
  type: 'CareObjectiveAdded',
  data: {
    planId: ids.plan,
    objectiveId: ids.objective,
    careCode: 'psychological',
    supportPlanType: 'Health',
    legalBasis: 'consent',
    consentId: ids.consent,
  },
  eventId: 'e-objective',
};
const authorise = (
  data: Partial<Extract<CareCommand, { type: 'AuthoriseCare' }>['data']> = {},
  rest: Partial<Extract<CareCommand, { type: 'AuthoriseCare' }>> = {},
): CareCommand => ({
  type: 'AuthoriseCare',
  data: { authorisationId: ids.authorisation, careCode: 'psychological', ...data },
  actor: caseworker,
  now,
  journey: consented,
  basis: onConsent,
  ...rest,
});
const authorised: CareStreamEvent = {
  type: 'CareAuthorised',
  data: {
    authorisationId: ids.authorisation,
    careCode: 'psychological',
    supportPlanType: 'Health',
    legalBasis: 'consent',
    consentId: ids.consent,
  },
  eventId: 'e-authorised',
};
const deliveryData = {
  deliveryId: ids.delivery,
  careCode: 'interpretation',
  provider: { name: 'Interpreting service' },
  language: 'ti',
  interpreterUsed: true,
  deliveredAt: '2026-04-30T09:00:00.000Z',
  vitalInterest: false,
};
const deliver = (
  overrides: Partial<Extract<CareCommand, { type: 'RecordCareDelivered' }>['data']> = {},
): CareCommand => ({ type: 'RecordCareDelivered', data: { ...deliveryData, ...overrides }, now });
const delivered: CareStreamEvent = {
  type: 'CareDelivered',
  data: { ...deliveryData, supportPlanType: 'SocialCare' },
  eventId: 'e-delivered',
};
const endData: CareEventData<'AssistanceEnded'> = {
  reason: 'non_cooperation',
  endedBy: { name: 'Harbour Outreach', orgId: ids.ngo },
  endedAt: '2026-04-30T12:00:00.000Z',
};
const ended: CareStreamEvent = { type: 'AssistanceEnded', data: endData, eventId: 'e-ended' };
const end = (
  data: Partial<CareEventData<'AssistanceEnded'>> = {},
  options: { actor?: Actor; overrideReason?: string } = {},
): CareCommand => ({
  type: 'RecordAssistanceEnded',
  data: { ...endData, ...data },
  actor: options.actor ?? caseworker,
  ...(options.overrideReason === undefined ? {} : { overrideReason: options.overrideReason }),
  now,
});

describe('care decider', () => {
  describe('given nothing recorded yet', () => {
    it('draws up a plan on the valid services consent, deriving each support-plan type', () => {
      spec
        .given([])
        .when(
          createPlan({
            plan: { planId: ids.plan, reviewDate: '2026-06-01', summary: 'Stabilise' },
            objectives: [
              psychological,
              {
                objectiveId: ids.secondObjective,
                careCode: 'accommodation',
                targetDate: '2026-05-15',
                description: 'A safe room',
              },
            ],
          }),
        )
        .then([
          {
            type: 'CarePlanCreated',
            data: {
              planId: ids.plan,
              reviewDate: '2026-06-01',
              summary: 'Stabilise',
              legalBasis: 'consent',
              consentId: ids.consent,
            },
          },
          { type: 'CareObjectiveAdded', data: { ...objectiveAdded.data } },
          {
            type: 'CareObjectiveAdded',
            data: {
              planId: ids.plan,
              objectiveId: ids.secondObjective,
              careCode: 'accommodation',
              supportPlanType: 'SocialCare',
              targetDate: '2026-05-15',
              description: 'A safe room',
              legalBasis: 'consent',
              consentId: ids.consent,
            },
          },
        ]);
    });

    it('refuses to plan without a services consent', () => {
      spec
        .given([])
        .when(createPlan({ journey: unconsented }))
        .thenFails('SERVICES_CONSENT_REQUIRED', 'legalBasis');
    });

    it('refuses to plan on a withdrawn or an expired consent', () => {
      spec
        .given([])
        .when(createPlan({ journey: journeyWith([opened, servicesConsent(), withdrawn]) }))
        .thenFails('SERVICES_CONSENT_WITHDRAWN', 'legalBasis');
      spec
        .given([])
        .when(
          createPlan({
            journey: journeyWith([opened, servicesConsent('2026-04-30T00:00:00.000Z')]),
          }),
        )
        .thenFails('SERVICES_CONSENT_EXPIRED', 'legalBasis');
    });

    it('counts a consent again once its withdrawal is retracted', () => {
      const journey = journeyWith([
        opened,
        servicesConsent(),
        { ...withdrawn, eventId: 'e-withdrawn' },
      ]);
      const restored = evolveJourney(journey, {
        type: 'EventRetracted',
        data: { retractedEventId: 'e-withdrawn', reasonCode: 'recorded-in-error' },
        eventId: 'e-retraction',
      });
      if (restored.status !== 'open') throw new Error('the journey is not open');
      spec
        .given([])
        .when(createPlan({ journey: restored }))
        .then([
          {
            type: 'CarePlanCreated',
            data: { planId: ids.plan, legalBasis: 'consent', consentId: ids.consent },
          },
          { type: 'CareObjectiveAdded', data: { ...objectiveAdded.data } },
        ]);
    });

    it('plans emergency medical care on a vital-interest basis without consent, marked as such', () => {
      spec
        .given([])
        .when(
          createPlan({
            journey: unconsented,
            objectives: [{ objectiveId: ids.objective, careCode: 'emergency_medical' }],
            basis: { legalBasis: 'vital_interest' },
          }),
        )
        .then([
          { type: 'CarePlanCreated', data: { planId: ids.plan, legalBasis: 'vital_interest' } },
          {
            type: 'CareObjectiveAdded',
            data: {
              planId: ids.plan,
              objectiveId: ids.objective,
              careCode: 'emergency_medical',
              supportPlanType: 'Health',
              legalBasis: 'vital_interest',
            },
          },
        ]);
    });

    it('refuses a vital-interest basis for any other care', () => {
      spec
        .given([])
        .when(createPlan({ journey: unconsented, basis: { legalBasis: 'vital_interest' } }))
        .thenFails('VITAL_INTEREST_ONLY_FOR_EMERGENCY_MEDICAL', 'legalBasis');
      spec
        .given([])
        .when(
          authorise(
            { careCode: 'medical' },
            { journey: unconsented, basis: { legalBasis: 'vital_interest' } },
          ),
        )
        .thenFails('VITAL_INTEREST_ONLY_FOR_EMERGENCY_MEDICAL');
    });

    it("accepts a supervisor's override with a reason in place of consent, in their name", () => {
      spec
        .given([])
        .when(
          createPlan({
            journey: unconsented,
            actor: supervisor,
            basis: { legalBasis: 'supervisor_override', overrideReason: 'Guardian not reachable' },
          }),
        )
        .then([
          {
            type: 'CarePlanCreated',
            data: {
              planId: ids.plan,
              legalBasis: 'supervisor_override',
              override: { supervisorUserId: 'sv-1', reason: 'Guardian not reachable' },
            },
          },
          {
            type: 'CareObjectiveAdded',
            data: {
              planId: ids.plan,
              objectiveId: ids.objective,
              careCode: 'psychological',
              supportPlanType: 'Health',
              legalBasis: 'supervisor_override',
              override: { supervisorUserId: 'sv-1', reason: 'Guardian not reachable' },
            },
          },
        ]);
    });

    it('refuses an override by someone who is not a supervisor, one without a reason, and a reason without an override', () => {
      spec
        .given([])
        .when(
          createPlan({
            journey: unconsented,
            basis: { legalBasis: 'supervisor_override', overrideReason: 'urgent' },
          }),
        )
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR', 'legalBasis');
      spec
        .given([])
        .when(
          createPlan({
            journey: unconsented,
            actor: supervisor,
            basis: { legalBasis: 'supervisor_override' },
          }),
        )
        .thenFails('OVERRIDE_REASON_REQUIRED', 'overrideReason');
      spec
        .given([])
        .when(createPlan({ basis: { legalBasis: 'consent', overrideReason: 'just in case' } }))
        .thenFails('OVERRIDE_REASON_WITHOUT_OVERRIDE', 'overrideReason');
    });

    it('needs the support-plan type of a local care code, and refuses one that contradicts a standard code', () => {
      spec
        .given([])
        .when(
          createPlan({ objectives: [{ objectiveId: ids.objective, careCode: 'x-art-therapy' }] }),
        )
        .thenFails('SUPPORT_PLAN_TYPE_REQUIRED', 'objectives.0.supportPlanType');
      spec
        .given([])
        .when(
          createPlan({
            objectives: [
              { objectiveId: ids.objective, careCode: 'psychological', supportPlanType: 'Legal' },
            ],
          }),
        )
        .thenFails('SUPPORT_PLAN_TYPE_MISMATCH', 'objectives.0.supportPlanType');
      spec
        .given([])
        .when(authorise({ careCode: 'x-art-therapy', supportPlanType: 'Health' }))
        .then([
          {
            type: 'CareAuthorised',
            data: { ...authorised.data, careCode: 'x-art-therapy', supportPlanType: 'Health' },
          },
        ]);
    });

    it('authorises emergency medical care on vital interest without consent', () => {
      spec
        .given([])
        .when(
          authorise(
            { careCode: 'emergency_medical', provider: { name: 'City Clinic', orgId: ids.clinic } },
            { journey: unconsented, basis: { legalBasis: 'vital_interest' } },
          ),
        )
        .then([
          {
            type: 'CareAuthorised',
            data: {
              authorisationId: ids.authorisation,
              careCode: 'emergency_medical',
              supportPlanType: 'Health',
              provider: { name: 'City Clinic', orgId: ids.clinic },
              legalBasis: 'vital_interest',
            },
          },
        ]);
    });

    it('refuses to authorise without consent', () => {
      spec
        .given([])
        .when(authorise({}, { journey: unconsented }))
        .thenFails('SERVICES_CONSENT_REQUIRED');
    });

    it('records care delivered whatever the consent: a fact, for the audit to judge', () => {
      spec
        .given([])
        .when(deliver())
        .then([
          { type: 'CareDelivered', data: { ...deliveryData, supportPlanType: 'SocialCare' } },
        ]);
    });

    it('refuses a delivery dated in the future, or naming a plan, objective or authorisation that does not exist', () => {
      spec
        .given([])
        .when(deliver({ deliveredAt: '2026-05-02T00:00:00.000Z' }))
        .thenFails('DELIVERY_IN_FUTURE', 'deliveredAt');
      spec
        .given([])
        .when(deliver({ planId: ids.plan }))
        .thenFails('CARE_PLAN_NOT_FOUND', 'planId');
      spec
        .given([])
        .when(deliver({ objectiveId: ids.objective }))
        .thenFails('OBJECTIVE_NEEDS_PLAN', 'planId');
      spec
        .given([])
        .when(deliver({ authorisationId: ids.authorisation }))
        .thenFails('AUTHORISATION_NOT_FOUND', 'authorisationId');
    });

    it('records assistance ended for a lawful reason', () => {
      spec
        .given([])
        .when(end({ reason: 'goals_achieved' }))
        .then([{ type: 'AssistanceEnded', data: { ...endData, reason: 'goals_achieved' } }]);
    });

    it('refuses to end assistance for non-cooperation or a declined testimony without an override', () => {
      spec
        .given([])
        .when(end({ reason: 'non_cooperation' }))
        .thenFails('ASSISTANCE_CONDITIONAL_ON_COOPERATION', 'reason');
      spec
        .given([])
        .when(end({ reason: 'declined_to_testify' }, { actor: supervisor }))
        .thenFails('ASSISTANCE_CONDITIONAL_ON_COOPERATION', 'reason');
    });

    it("records such an end on a supervisor's override with a reason, in their name (the audit still flags it)", () => {
      spec
        .given([])
        .when(end({}, { actor: supervisor, overrideReason: 'Programme funding ended' }))
        .then([
          {
            type: 'AssistanceEnded',
            data: {
              ...endData,
              override: { supervisorUserId: 'sv-1', reason: 'Programme funding ended' },
            },
          },
        ]);
    });

    it('refuses an override by someone who is not a supervisor, and one where nothing needs it', () => {
      spec
        .given([])
        .when(end({}, { overrideReason: 'Programme funding ended' }))
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR', 'overrideReason');
      spec
        .given([])
        .when(end({ reason: 'moved_away' }, { actor: supervisor, overrideReason: 'just in case' }))
        .thenFails('OVERRIDE_REASON_WITHOUT_OVERRIDE', 'overrideReason');
    });

    it('refuses an end of assistance dated in the future', () => {
      spec
        .given([])
        .when(end({ reason: 'moved_away', endedAt: '2026-06-01T00:00:00.000Z' }))
        .thenFails('END_IN_FUTURE', 'endedAt');
    });

    it('records no progress on a plan that does not exist', () => {
      spec
        .given([])
        .when({
          type: 'RecordProgress',
          data: { planId: ids.plan, objectiveId: ids.objective, status: 'in_progress' },
        })
        .thenFails('CARE_PLAN_NOT_FOUND', 'planId');
    });
  });

  describe('given a care plan with an objective', () => {
    const plan = [planCreated(), objectiveAdded];

    it('refuses the same plan id again', () => {
      spec.given(plan).when(createPlan()).thenFails('CARE_PLAN_ALREADY_EXISTS', 'planId');
    });

    it('adds an objective on consent, and refuses one without it or with a taken id', () => {
      const add = (
        overrides: Partial<Extract<CareCommand, { type: 'AddObjective' }>> = {},
      ): CareCommand => ({
        type: 'AddObjective',
        planId: ids.plan,
        objective: { objectiveId: ids.secondObjective, careCode: 'education' },
        actor: caseworker,
        now,
        journey: consented,
        basis: onConsent,
        ...overrides,
      });
      spec
        .given(plan)
        .when(add())
        .then([
          {
            type: 'CareObjectiveAdded',
            data: {
              planId: ids.plan,
              objectiveId: ids.secondObjective,
              careCode: 'education',
              supportPlanType: 'Education',
              legalBasis: 'consent',
              consentId: ids.consent,
            },
          },
        ]);
      spec
        .given(plan)
        .when(add({ journey: unconsented }))
        .thenFails('SERVICES_CONSENT_REQUIRED');
      spec
        .given(plan)
        .when(add({ objective: psychological }))
        .thenFails('OBJECTIVE_ALREADY_EXISTS', 'objectiveId');
      spec
        .given(plan)
        .when(add({ planId: ids.otherPlan }))
        .thenFails('CARE_PLAN_NOT_FOUND', 'planId');
    });

    it('records progress on the objective, and none on an objective it does not have', () => {
      const progress: CareEvent = {
        type: 'CareObjectiveProgressRecorded',
        data: {
          planId: ids.plan,
          objectiveId: ids.objective,
          status: 'in_progress',
          note: 'Better',
        },
      };
      spec.given(plan).when({ type: 'RecordProgress', data: progress.data }).then([progress]);
      const error = spec
        .given(plan)
        .when({
          type: 'RecordProgress',
          data: { planId: ids.plan, objectiveId: ids.secondObjective, status: 'achieved' },
        })
        .thenFails('OBJECTIVE_NOT_FOUND', 'objectiveId');
      expect(error.kind).toBe('not_found');
    });

    it('authorises care for an objective of the plan, not for an unknown one', () => {
      spec
        .given(plan)
        .when(authorise({ planId: ids.plan, objectiveId: ids.objective }))
        .then([
          {
            type: 'CareAuthorised',
            data: { ...authorised.data, planId: ids.plan, objectiveId: ids.objective },
          },
        ]);
      const error = spec
        .given(plan)
        .when(authorise({ planId: ids.plan, objectiveId: ids.secondObjective }))
        .thenFails('OBJECTIVE_NOT_FOUND', 'objectiveId');
      expect(error.kind).toBe('precondition');
    });

    it('records care delivered towards the objective', () => {
      spec
        .given(plan)
        .when(deliver({ planId: ids.plan, objectiveId: ids.objective }))
        .then([
          {
            type: 'CareDelivered',
            data: {
              ...deliveryData,
              supportPlanType: 'SocialCare',
              planId: ids.plan,
              objectiveId: ids.objective,
            },
          },
        ]);
    });

    it('no longer knows the plan once its creation is retracted', () => {
      spec
        .given([
          ...plan,
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-plan', reasonCode: 'wrong-journey' },
            eventId: 'e-retraction',
          },
        ])
        .when({
          type: 'RecordProgress',
          data: { planId: ids.plan, objectiveId: ids.objective, status: 'achieved' },
        })
        .thenFails('CARE_PLAN_NOT_FOUND');
    });
  });

  describe('given an authorisation and a delivery', () => {
    const history = [authorised, delivered];

    it('refuses a taken authorisation or delivery id', () => {
      spec.given(history).when(authorise()).thenFails('AUTHORISATION_ALREADY_EXISTS');
      spec.given(history).when(deliver()).thenFails('DELIVERY_ALREADY_RECORDED', 'deliveryId');
    });

    it('records a delivery under the authorisation', () => {
      const data = {
        ...deliveryData,
        deliveryId: ids.secondObjective,
        careCode: 'psychological',
        authorisationId: ids.authorisation,
      };
      spec
        .given(history)
        .when(deliver(data))
        .then([{ type: 'CareDelivered', data: { ...data, supportPlanType: 'Health' } }]);
    });
  });

  describe('given assistance ended', () => {
    it('refuses to end it again', () => {
      spec
        .given([ended])
        .when(end({ reason: 'moved_away' }))
        .thenFails('ASSISTANCE_ALREADY_ENDED');
    });

    it('resumes it with a new plan, which can end again', () => {
      spec
        .given([ended, planCreated()])
        .when(end({ reason: 'goals_achieved' }))
        .then([{ type: 'AssistanceEnded', data: { ...endData, reason: 'goals_achieved' } }]);
    });

    it('can be recorded again once the end is retracted', () => {
      spec
        .given([
          ended,
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-ended', reasonCode: 'recorded-in-error' },
            eventId: 'e-retraction',
          },
        ])
        .when(end({ reason: 'moved_away' }))
        .then([{ type: 'AssistanceEnded', data: { ...endData, reason: 'moved_away' } }]);
    });
  });

  describe('corrections', () => {
    const retract = (retractedEventId: string): CareCommand => ({
      type: 'RetractEvent',
      data: { retractedEventId, reasonCode: 'recorded-in-error' },
    });
    const amend = (amendedEventId: string, replacement: Record<string, unknown>): CareCommand => ({
      type: 'AmendEvent',
      data: { amendedEventId, reasonCode: 'data-entry-error', replacement },
    });
    const retraction: CareStreamEvent = {
      type: 'EventRetracted',
      data: { retractedEventId: 'e-delivered', reasonCode: 'duplicate' },
      eventId: 'e-retraction',
    };

    it('retracts an event once, never a correction, never an unknown event', () => {
      spec
        .given([delivered])
        .when(retract('e-delivered'))
        .then([
          {
            type: 'EventRetracted',
            data: { retractedEventId: 'e-delivered', reasonCode: 'recorded-in-error' },
          },
        ]);
      spec
        .given([delivered, retraction])
        .when(retract('e-delivered'))
        .thenFails('EVENT_ALREADY_RETRACTED');
      spec
        .given([delivered, retraction])
        .when(retract('e-retraction'))
        .thenFails('CORRECTION_NOT_CORRECTABLE');
      spec.given([]).when(retract('e-none')).thenFails('EVENT_NOT_FOUND', 'retractedEventId');
    });

    it('amends a delivery with valid corrected data', () => {
      const replacement = { ...delivered.data, language: 'am' };
      spec
        .given([delivered])
        .when(amend('e-delivered', replacement))
        .then([
          {
            type: 'EventAmended',
            data: { amendedEventId: 'e-delivered', reasonCode: 'data-entry-error', replacement },
          },
        ]);
    });

    it('refuses an invalid replacement, naming the field', () => {
      spec
        .given([delivered])
        .when(amend('e-delivered', { ...delivered.data, language: 'Tigrinya' }))
        .thenFails('AMENDMENT_INVALID', 'replacement.language');
      spec
        .given([delivered])
        .when(amend('e-delivered', { ...delivered.data, supportPlanType: 'Legal' }))
        .thenFails('SUPPORT_PLAN_TYPE_MISMATCH', 'replacement.supportPlanType');
    });

    it('refuses to amend an end into one for non-cooperation that no supervisor overrode', () => {
      const lawfulEnd: CareStreamEvent = {
        type: 'AssistanceEnded',
        data: { ...endData, reason: 'moved_away' },
        eventId: 'e-lawful-end',
      };
      spec
        .given([lawfulEnd])
        .when(amend('e-lawful-end', { ...endData, reason: 'non_cooperation' }))
        .thenFails('ASSISTANCE_CONDITIONAL_ON_COOPERATION', 'replacement.reason');
    });

    it('keeps ids and the legal basis of a decision', () => {
      spec
        .given([delivered])
        .when(amend('e-delivered', { ...delivered.data, deliveryId: ids.plan }))
        .thenFails('AMENDMENT_CHANGES_ID', 'replacement.deliveryId');
      spec
        .given([planCreated()])
        .when(amend('e-plan', { planId: ids.plan, legalBasis: 'vital_interest' }))
        .thenFails('AMENDMENT_CHANGES_LEGAL_BASIS', 'replacement.legalBasis');
      spec
        .given([planCreated()])
        .when(
          amend('e-plan', {
            planId: ids.plan,
            legalBasis: 'consent',
            consentId: ids.consent,
            reviewDate: '2026-07-01',
          }),
        )
        .then([
          {
            type: 'EventAmended',
            data: {
              amendedEventId: 'e-plan',
              reasonCode: 'data-entry-error',
              replacement: {
                planId: ids.plan,
                legalBasis: 'consent',
                consentId: ids.consent,
                reviewDate: '2026-07-01',
              },
            },
          },
        ]);
    });
  });
});
