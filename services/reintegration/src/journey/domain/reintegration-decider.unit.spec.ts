import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@waypoint/decider';
import type { AssistedReturnRequest, FactEvent, ReintegrationCommand } from './commands.js';
import { reintegrationDecider } from './reintegration-decider.js';
import type { StoredEvent } from './state.js';

const spec = deciderSpec(reintegrationDecider);
const ids = {
  family: '01936d8e-0000-7000-8000-0000000000f1',
  otherFamily: '01936d8e-0000-7000-8000-0000000000f2',
  return: '01936d8e-0000-7000-8000-0000000000a1',
  authorityReturn: '01936d8e-0000-7000-8000-0000000000b1',
  plan: '01936d8e-0000-7000-8000-0000000000c1',
  review: '01936d8e-0000-7000-8000-0000000000d1',
  org: '01936d8e-0000-7000-8000-0000000000e1',
};
const caseworker: Actor = { userId: 'cw-1', orgId: ids.org, roles: ['caseworker'] };
const supervisor: Actor = { userId: 'sv-1', orgId: ids.org, roles: ['supervisor'] };
const now = '2026-05-01T10:00:00.000Z';
const daysBefore = (days: number): string =>
  new Date(Date.parse(now) - days * 86_400_000).toISOString();
const body = { type: 'NGO', name: 'Outreach' };

let counter = 0;
/** A stored event: with its id and when it happened, as the codec reads it back. */
const stored = (event: FactEvent | StoredEvent, occurredAt = daysBefore(3)): StoredEvent => {
  counter += 1;
  return {
    ...event,
    eventId: `01936d8e-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    occurredAt,
  };
};

const risk = (
  level: 'low' | 'medium' | 'high' = 'low',
  scope: 'return' | 're_trafficking' | 'reprisal' = 'return',
  daysAgo = 3,
): StoredEvent =>
  stored(
    { type: 'RiskAssessmentCompleted', data: { scope, level, assessedBy: body } },
    daysBefore(daysAgo),
  );
const familyAssessment = (
  overrides: Partial<{
    familyAssessmentId: string;
    familyImplicated: boolean;
    ableToCare: boolean;
    willingToCare: boolean;
  }> = {},
): StoredEvent =>
  stored({
    type: 'FamilyAssessmentCompleted',
    data: {
      familyAssessmentId: ids.family,
      relationship: 'mother',
      familyImplicated: false,
      ableToCare: true,
      willingToCare: true,
      assessedBy: body,
      ...overrides,
    },
  });
const bestInterests = (
  durableSolution: 'return' | 'local_integration' | 'third_country' = 'return',
): StoredEvent =>
  stored({ type: 'BestInterestsDetermined', data: { durableSolution, determinedBy: body } });
const views: StoredEvent = stored({
  type: 'ChildViewsRecorded',
  data: {
    wishAboutReturn: 'wants_return',
    language: 'ro',
    interpreterUsed: true,
    guardianPresent: true,
    views: 'wants to go home',
  },
});
const closed: StoredEvent = stored({
  type: 'JourneyClosed',
  data: { reason: 'reintegrated', reasonCodes: [] },
});

const request = (overrides: Partial<AssistedReturnRequest> = {}): AssistedReturnRequest => ({
  returnId: ids.return,
  voluntary: true,
  destination: { kind: 'other', placeType: 'own_accommodation' },
  countryOfReturn: 'RO',
  ...overrides,
});
const decide = (
  overrides: Partial<Extract<ReintegrationCommand, { type: 'DecideAssistedReturn' }>> = {},
): ReintegrationCommand => ({
  type: 'DecideAssistedReturn',
  data: request(),
  actor: caseworker,
  journey: { presumedChild: false, unaccompanied: false, guardianAppointed: false },
  now,
  riskAssessmentMaxAgeDays: 30,
  ...overrides,
});
const childDecision = (
  overrides: Partial<Extract<ReintegrationCommand, { type: 'DecideAssistedReturn' }>> = {},
): ReintegrationCommand =>
  decide({
    journey: { presumedChild: true, unaccompanied: false, guardianAppointed: false },
    data: request({ destination: { kind: 'family', familyAssessmentId: ids.family } }),
    ...overrides,
  });
const record = (event: FactEvent, occurredAt?: string): ReintegrationCommand => ({
  type: 'RecordFact',
  event,
  now,
  ...(occurredAt === undefined ? {} : { occurredAt }),
});

describe('reintegration decider', () => {
  const plan = {
    planId: ids.plan,
    setting: 'after_return' as const,
    supportAreas: ['Livelihood'],
    firstReviewDue: '2026-08-01',
  };
  const review: FactEvent = {
    type: 'ReintegrationReviewCompleted',
    data: {
      reviewId: ids.review,
      method: 'phone',
      scores: { economic: 0.2, social: 0.4, psychosocial: 0.6 },
      nextReviewDue: '2026-05-01',
    },
  };
  const laterReview = { ...review, data: { ...review.data, nextReviewDue: '2026-08-01' } };

  describe('given nothing recorded yet', () => {
    it('records a risk assessment as told, with the time it happened', () => {
      const event: FactEvent = {
        type: 'RiskAssessmentCompleted',
        data: { scope: 'reprisal', level: 'high', assessedBy: body },
      };
      spec
        .given([])
        .when(record(event, daysBefore(2)))
        .then([{ ...event, occurredAt: daysBefore(2) }]);
    });

    it('records an involuntary return decided by an authority: a fact, for the audit to judge', () => {
      const event: FactEvent = {
        type: 'ReturnDecided',
        data: {
          returnId: ids.authorityReturn,
          decidingBody: { type: 'NonPoliceGovernmentalOrganization', name: 'Immigration' },
          voluntary: false,
          destination: { kind: 'family' },
          countryOfReturn: 'RO',
        },
      };
      spec.given([]).when(record(event)).then([event]);
    });

    it('records a return carried out with no risk assessment at all', () => {
      const event: FactEvent = {
        type: 'ReturnExecuted',
        data: { executedBy: { type: 'Police', name: 'Border police' }, countryOfReturn: 'RO' },
      };
      spec.given([]).when(record(event)).then([event]);
    });

    it('refuses a fact that has not happened yet', () => {
      spec
        .given([])
        .when(
          record(
            {
              type: 'RiskAssessmentCompleted',
              data: { scope: 'return', level: 'low', assessedBy: body },
            },
            '2026-05-02T00:00:00.000Z',
          ),
        )
        .thenFails('OCCURRED_IN_FUTURE', 'occurredAt');
    });

    it('refuses an execution or reception naming a return that is not on record', () => {
      spec
        .given([])
        .when(
          record({
            type: 'ReturnExecuted',
            data: { returnId: ids.return, executedBy: body, countryOfReturn: 'RO' },
          }),
        )
        .thenFails('RETURN_NOT_FOUND', 'returnId');
      spec
        .given([])
        .when(
          record({
            type: 'ReceptionArrangedAtDestination',
            data: {
              returnId: ids.return,
              receivingOrg: { name: 'Partner', country: 'RO' },
              services: [],
              contactsGiven: true,
            },
          }),
        )
        .thenFails('RETURN_NOT_FOUND', 'returnId');
    });

    it('refuses a review whose next review is not after it', () => {
      spec
        .given([])
        .when(record(review))
        .thenFails('NEXT_REVIEW_NOT_AFTER_REVIEW', 'nextReviewDue');
      spec.given([]).when(record(laterReview)).then([laterReview]);
    });

    it('records the situation a review found as told, whatever it says', () => {
      const found: FactEvent = {
        type: 'ReintegrationReviewCompleted',
        data: {
          reviewId: ids.review,
          method: 'partner_report',
          scores: { economic: 0.1, social: 0.2, psychosocial: 0.3 },
          situation: { housing: 'homeless', work: 'unknown', feelsSafe: 'no' },
        },
      };
      spec.given([]).when(record(found)).then([found]);
    });

    it('refuses an assisted return without a return risk assessment', () => {
      spec.given([]).when(decide()).thenFails('RETURN_RISK_ASSESSMENT_REQUIRED');
    });

    it('a caseworker cannot override', () => {
      spec
        .given([])
        .when(decide({ overrideReason: 'Urgent' }))
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR', 'overrideReason');
    });

    it('creates a plan, and refuses one whose first review is already past', () => {
      spec
        .given([])
        .when({ type: 'CreatePlan', data: plan, now })
        .then([{ type: 'ReintegrationPlanCreated', data: plan }]);
      spec
        .given([])
        .when({ type: 'CreatePlan', data: { ...plan, firstReviewDue: '2026-04-30' }, now })
        .thenFails('REVIEW_DATE_IN_PAST', 'firstReviewDue');
    });

    it('closes the journey', () => {
      const data = { reason: 'lost_to_follow_up' as const, reasonCodes: [] };
      spec
        .given([])
        .when({ type: 'CloseJourney', data })
        .then([{ type: 'JourneyClosed', data }]);
    });
  });

  describe('given an open journey with facts on record', () => {
    it('refuses a family assessment, review or plan id that is taken', () => {
      spec
        .given([familyAssessment()])
        .when(record(familyAssessment() as FactEvent))
        .thenFails('FAMILY_ASSESSMENT_ALREADY_RECORDED', 'familyAssessmentId');
      spec
        .given([stored(laterReview)])
        .when(record(laterReview))
        .thenFails('REVIEW_ALREADY_RECORDED', 'reviewId');
      spec
        .given([stored({ type: 'ReintegrationPlanCreated', data: plan })])
        .when({ type: 'CreatePlan', data: plan, now })
        .thenFails('PLAN_ALREADY_RECORDED', 'planId');
    });

    describe('deciding an assisted return for an adult', () => {
      it('decides it with a recent low return risk assessment, naming the assessment relied on', () => {
        const assessed = risk();
        spec
          .given([assessed])
          .when(decide())
          .then([
            {
              type: 'AssistedReturnDecided',
              data: {
                ...request(),
                decidedByOrgId: ids.org,
                presumedChild: false,
                basis: { riskAssessmentEventId: assessed.eventId },
                overridden: false,
              },
            },
          ]);
      });

      it('refuses it when no risk assessment on record is of the return', () => {
        spec
          .given([risk('low', 'reprisal')])
          .when(decide())
          .thenFails('RETURN_RISK_ASSESSMENT_REQUIRED');
      });

      it('refuses it when the latest return risk assessment is older than the configured days', () => {
        spec
          .given([risk('low', 'return', 31)])
          .when(decide())
          .thenFails('RETURN_RISK_ASSESSMENT_OUTDATED');
        spec
          .given([risk('low', 'return', 31)])
          .when(decide({ riskAssessmentMaxAgeDays: 60 }))
          .then([expect.objectContaining({ type: 'AssistedReturnDecided' }) as StoredEvent]);
      });

      it('refuses it while the latest assessment of any scope rates the risk high', () => {
        spec
          .given([risk('high')])
          .when(decide())
          .thenFails('RETURN_RISK_HIGH');
        spec
          .given([risk(), risk('high', 'reprisal')])
          .when(decide())
          .thenFails('RETURN_RISK_HIGH');
        spec
          .given([risk('high'), risk('medium')])
          .when(decide())
          .then([expect.objectContaining({ type: 'AssistedReturnDecided' }) as StoredEvent]);
      });

      it('refuses an involuntary assisted return', () => {
        spec
          .given([risk()])
          .when(decide({ data: request({ voluntary: false }) }))
          .thenFails('RETURN_NOT_VOLUNTARY', 'voluntary');
      });

      it('refuses a destination family that a family assessment found implicated, even for a supervisor', () => {
        const implicated = familyAssessment({ familyImplicated: true });
        const toFamily = request({
          destination: { kind: 'family', familyAssessmentId: ids.family },
        });
        spec
          .given([risk(), implicated])
          .when(decide({ data: toFamily }))
          .thenFails('DESTINATION_FAMILY_IMPLICATED', 'destination.familyAssessmentId');
        spec
          .given([risk(), implicated])
          .when(decide({ data: toFamily, actor: supervisor, overrideReason: 'Family insists' }))
          .thenFails('DESTINATION_FAMILY_IMPLICATED');
        spec
          .given([risk(), implicated])
          .when(decide({ data: request({ destination: { kind: 'family' } }) }))
          .thenFails('DESTINATION_FAMILY_IMPLICATED');
      });

      it('refuses a family assessment id that is not on record', () => {
        spec
          .given([risk()])
          .when(
            decide({
              data: request({
                destination: { kind: 'family', familyAssessmentId: ids.otherFamily },
              }),
            }),
          )
          .thenFails('FAMILY_ASSESSMENT_NOT_FOUND', 'destination.familyAssessmentId');
      });
    });

    describe('deciding an assisted return for a child', () => {
      const ready = (): StoredEvent[] => [risk(), familyAssessment(), bestInterests(), views];

      it('decides it with every precondition met, naming each assessment relied on', () => {
        const given = ready();
        const [assessed, family, interests, heard] = given;
        spec
          .given(given)
          .when(childDecision())
          .then([
            {
              type: 'AssistedReturnDecided',
              data: {
                ...request({ destination: { kind: 'family', familyAssessmentId: ids.family } }),
                decidedByOrgId: ids.org,
                presumedChild: true,
                basis: {
                  riskAssessmentEventId: assessed?.eventId,
                  familyAssessmentEventId: family?.eventId,
                  bestInterestsEventId: interests?.eventId,
                  childViewsEventId: heard?.eventId,
                },
                overridden: false,
              },
            },
          ]);
      });

      it('refuses it without a best-interests determination, or one that chose another solution', () => {
        spec
          .given([risk(), familyAssessment(), views])
          .when(childDecision())
          .thenFails('BEST_INTERESTS_DETERMINATION_REQUIRED');
        spec
          .given([risk(), familyAssessment(), bestInterests('local_integration'), views])
          .when(childDecision())
          .thenFails('BEST_INTERESTS_NOT_RETURN');
      });

      it('refuses it without a family assessment, whatever the destination', () => {
        spec
          .given([risk(), bestInterests(), views])
          .when(childDecision({ data: request() }))
          .thenFails('FAMILY_ASSESSMENT_REQUIRED');
      });

      it('refuses a family not able or not willing to care', () => {
        spec
          .given([risk(), familyAssessment({ willingToCare: false }), bestInterests(), views])
          .when(childDecision())
          .thenFails('FAMILY_NOT_ABLE_OR_WILLING', 'destination.familyAssessmentId');
      });

      it('refuses it for an unaccompanied child without a guardian', () => {
        const unaccompanied = {
          presumedChild: true,
          unaccompanied: true,
          guardianAppointed: false,
        };
        spec
          .given(ready())
          .when(childDecision({ journey: unaccompanied }))
          .thenFails('GUARDIAN_REQUIRED');
        spec
          .given(ready())
          .when(childDecision({ journey: { ...unaccompanied, guardianAppointed: true } }))
          .then([expect.objectContaining({ type: 'AssistedReturnDecided' }) as StoredEvent]);
      });

      it("refuses it without the child's recorded views", () => {
        spec
          .given([risk(), familyAssessment(), bestInterests()])
          .when(childDecision())
          .thenFails('CHILD_VIEWS_REQUIRED');
      });
    });

    describe('overriding missing preconditions', () => {
      it('a supervisor waives what is missing, with a reason: the override is recorded before the decision', () => {
        spec
          .given([familyAssessment()])
          .when(
            childDecision({
              actor: supervisor,
              overrideReason: 'Mother gravely ill; panel sits next month',
            }),
          )
          .then([
            {
              type: 'AssistedReturnOverrideRecorded',
              data: {
                returnId: ids.return,
                supervisorUserId: 'sv-1',
                waived: [
                  'RETURN_RISK_ASSESSMENT_REQUIRED',
                  'BEST_INTERESTS_DETERMINATION_REQUIRED',
                  'CHILD_VIEWS_REQUIRED',
                ],
                reason: 'Mother gravely ill; panel sits next month',
              },
            },
            expect.objectContaining({
              type: 'AssistedReturnDecided',
              data: expect.objectContaining({ overridden: true, presumedChild: true }) as unknown,
            }) as StoredEvent,
          ]);
      });

      it('an override with nothing to waive is refused, so no needless override is on record', () => {
        spec
          .given([risk()])
          .when(decide({ actor: supervisor, overrideReason: 'Just in case' }))
          .thenFails('OVERRIDE_NOT_NEEDED', 'overrideReason');
      });
    });
  });

  describe('given a return decided', () => {
    const decision: FactEvent = {
      type: 'ReturnDecided',
      data: {
        returnId: ids.authorityReturn,
        decidingBody: body,
        voluntary: true,
        destination: { kind: 'other', placeType: 'shelter' },
        countryOfReturn: 'RO',
      },
    };
    const execution: FactEvent = {
      type: 'ReturnExecuted',
      data: { returnId: ids.authorityReturn, executedBy: body, countryOfReturn: 'RO' },
    };

    it('records its execution once', () => {
      const decided = stored(decision);
      spec.given([decided]).when(record(execution)).then([execution]);
      spec
        .given([decided, stored(execution)])
        .when(record(execution))
        .thenFails('RETURN_ALREADY_EXECUTED', 'returnId');
    });

    it('refuses its return id for another return', () => {
      spec
        .given([stored(decision)])
        .when(record(decision))
        .thenFails('RETURN_ALREADY_RECORDED', 'returnId');
    });

    it('refuses a second assisted return while one is pending', () => {
      const decided = stored({
        type: 'AssistedReturnDecided',
        data: {
          ...request({ returnId: ids.authorityReturn }),
          decidedByOrgId: ids.org,
          presumedChild: false,
          basis: {},
          overridden: false,
        },
      });
      spec.given([risk(), decided]).when(decide()).thenFails('RETURN_ALREADY_DECIDED');
    });
  });

  describe('given a closed journey', () => {
    it('still records facts (a re-trafficking report)', () => {
      const event: FactEvent = {
        type: 'ReTraffickingReported',
        data: { source: 'police', exploitationTypes: ['ForcedLabour'] },
      };
      spec.given([closed]).when(record(event)).then([event]);
    });

    it('refuses decisions: an assisted return, a plan', () => {
      spec.given([risk(), closed]).when(decide()).thenFails('JOURNEY_CLOSED');
      spec
        .given([closed])
        .when({ type: 'CreatePlan', data: plan, now })
        .thenFails('JOURNEY_CLOSED');
    });

    it('is not closed again', () => {
      const data = { reason: 'lost_to_follow_up' as const, reasonCodes: [] };
      spec.given([closed]).when({ type: 'CloseJourney', data }).thenFails('JOURNEY_ALREADY_CLOSED');
    });
  });

  describe('corrections', () => {
    it('a retracted risk assessment no longer satisfies the guard', () => {
      const assessed = risk();
      const retraction = stored({
        type: 'EventRetracted',
        data: { retractedEventId: assessed.eventId ?? '', reasonCode: 'wrong-journey' },
      });
      spec
        .given([assessed, retraction])
        .when(decide())
        .thenFails('RETURN_RISK_ASSESSMENT_REQUIRED');
    });

    it('an amended family assessment counts with its new data', () => {
      const assessed = familyAssessment();
      const amendment = stored({
        type: 'EventAmended',
        data: {
          amendedEventId: assessed.eventId ?? '',
          reasonCode: 'late-information',
          replacement: { ...(assessed.data as object), familyImplicated: true },
        },
      });
      spec
        .given([risk(), assessed, amendment])
        .when(
          decide({
            data: request({ destination: { kind: 'family', familyAssessmentId: ids.family } }),
          }),
        )
        .thenFails('DESTINATION_FAMILY_IMPLICATED');
    });

    it('a retracted closing reopens the journey for decisions', () => {
      const retraction = stored({
        type: 'EventRetracted',
        data: { retractedEventId: closed.eventId ?? '', reasonCode: 'recorded-in-error' },
      });
      spec
        .given([closed, retraction])
        .when({ type: 'CloseJourney', data: { reason: 'reintegrated', reasonCodes: [] } })
        .then([{ type: 'JourneyClosed', data: { reason: 'reintegrated', reasonCodes: [] } }]);
    });

    it('retracts an event once; refuses unknown events, corrections of corrections and overrides', () => {
      const assessed = risk();
      const retract = (retractedEventId: string): ReintegrationCommand => ({
        type: 'RetractEvent',
        data: { retractedEventId, reasonCode: 'duplicate' },
      });
      spec
        .given([assessed])
        .when(retract(assessed.eventId ?? ''))
        .then([
          {
            type: 'EventRetracted',
            data: { retractedEventId: assessed.eventId ?? '', reasonCode: 'duplicate' },
          },
        ]);
      const retraction = stored({
        type: 'EventRetracted',
        data: { retractedEventId: assessed.eventId ?? '', reasonCode: 'duplicate' },
      });
      spec
        .given([assessed, retraction])
        .when(retract(assessed.eventId ?? ''))
        .thenFails('EVENT_ALREADY_RETRACTED');
      spec
        .given([assessed, retraction])
        .when(retract(retraction.eventId ?? ''))
        .thenFails('CORRECTION_NOT_CORRECTABLE');
      spec.given([]).when(retract(ids.plan)).thenFails('EVENT_NOT_FOUND', 'retractedEventId');
      const override = stored({
        type: 'AssistedReturnOverrideRecorded',
        data: {
          returnId: ids.return,
          supervisorUserId: 'sv-1',
          waived: ['RETURN_RISK_ASSESSMENT_REQUIRED'],
          reason: 'x',
        },
      });
      spec
        .given([override])
        .when(retract(override.eventId ?? ''))
        .thenFails('OVERRIDE_NOT_CORRECTABLE');
    });

    it('refuses to amend a guarded decision, and an invalid replacement', () => {
      const decided = stored({
        type: 'AssistedReturnDecided',
        data: {
          ...request(),
          decidedByOrgId: ids.org,
          presumedChild: false,
          basis: {},
          overridden: false,
        },
      });
      const amend = (
        amendedEventId: string,
        replacement: Record<string, unknown>,
      ): ReintegrationCommand => ({
        type: 'AmendEvent',
        data: { amendedEventId, reasonCode: 'data-entry-error', replacement },
      });
      spec
        .given([decided])
        .when(amend(decided.eventId ?? '', { ...(decided.data as object) }))
        .thenFails('DECISION_NOT_AMENDABLE');
      const assessed = risk();
      spec
        .given([assessed])
        .when(
          amend(assessed.eventId ?? '', { scope: 'return', level: 'extreme', assessedBy: body }),
        )
        .thenFails('AMENDMENT_INVALID', 'replacement.level');
      spec
        .given([assessed])
        .when(amend(assessed.eventId ?? '', { scope: 'return', level: 'medium', assessedBy: body }))
        .then([
          {
            type: 'EventAmended',
            data: {
              amendedEventId: assessed.eventId ?? '',
              reasonCode: 'data-entry-error',
              replacement: { scope: 'return', level: 'medium', assessedBy: body },
            },
          },
        ]);
    });
  });
});
