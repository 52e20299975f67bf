import { describe, expect, it } from 'vitest';
import { journeyBuilder, ORG, type JourneyBuilder } from '../testing/journey-builder.js';
import {
  compliantAdultJourney,
  compliantChildReturnJourney,
  NL_PROFILE,
  NRM_ORG,
  OTHER_ORG,
} from '../testing/journeys.js';
import { auditJourney } from './evaluate.js';
import type { JurisdictionProfile } from './jurisdiction-profile.js';
import type { Finding, Severity } from './rule.js';

/**
 * Every rule of the catalogue, against journeys that meet every standard (no finding) and against
 * the same journeys with exactly one breach added (exactly that finding, citing those events).
 */

function audit(
  journey: JourneyBuilder,
  asOf: string,
  profiles: readonly JurisdictionProfile[] = [NL_PROFILE],
): readonly Finding[] {
  const evaluation = auditJourney({
    journeyId: journey.journeyId,
    recorded: journey.recorded,
    profiles,
    asOf,
  });
  if (!evaluation) throw new Error('no journey');
  return evaluation.findings;
}

const finding = (
  ruleId: string,
  severity: Severity,
  occurredAt: string,
  reason: string,
  evidenceEventIds: readonly string[],
): Finding => ({
  ruleId,
  ruleVersion: 1,
  severity,
  occurredAt: new Date(occurredAt).toISOString(),
  evidenceEventIds,
  reason,
});

const body = { type: 'Police', name: 'Police unit' } as const;
const decider = {
  type: 'NonPoliceGovernmentalOrganization',
  name: 'Child protection board',
} as const;

const care = (
  journey: JourneyBuilder,
  day: string,
  careCode: 'accommodation' | 'medical' | 'psychological' | 'counselling' | 'emergency_medical',
  options: { vitalInterest?: boolean } = {},
): string =>
  journey.care(`${day}T10:00:00Z`, {
    type: 'CareDelivered',
    data: {
      deliveryId: journey.id(),
      careCode,
      supportPlanType:
        careCode === 'medical' || careCode === 'psychological' || careCode === 'emergency_medical'
          ? 'Health'
          : 'SocialCare',
      provider: { name: 'Clinic' },
      language: 'en',
      interpreterUsed: false,
      deliveredAt: `${day}T10:00:00.000Z`,
      vitalInterest: options.vitalInterest ?? false,
    },
  });

const inform = (
  journey: JourneyBuilder,
  topics: readonly (
    | 'rights'
    | 'legal_proceedings'
    | 'reflection_period'
    | 'international_protection'
    | 'compensation'
  )[],
): void => {
  for (const topic of topics)
    journey.identification('2025-03-01T11:00:00Z', {
      type: 'InformationProvided',
      data: { topic, language: 'en', interpreterUsed: false },
    });
};

/** A journey with only its opening, first contact and a safety assessment: little is due. */
function minimalJourney(openedAt: string): {
  journey: JourneyBuilder;
  firstContact: string;
} {
  const journey = journeyBuilder();
  journey.identification(openedAt, {
    type: 'JourneyOpened',
    data: {
      journeyId: journey.journeyId,
      personId: journey.personId,
      jurisdiction: 'NL',
      openedByOrgId: ORG,
    },
  });
  const firstContact = journey.identification(openedAt, {
    type: 'FirstContactRecorded',
    data: { channel: 'hotline' },
  });
  return { journey, firstContact };
}

describe('compliant journeys', () => {
  it('an adult assisted as the standards require gives no finding', () => {
    const { journey, now } = compliantAdultJourney();
    expect(audit(journey, now)).toEqual([]);
  });

  it('an unaccompanied child returned to an assessed family gives no finding', () => {
    const { journey, now } = compliantChildReturnJourney();
    expect(audit(journey, now)).toEqual([]);
  });
});

describe('ID-01 presumption of childhood', () => {
  const detain = (journey: JourneyBuilder): string =>
    journey.legal({
      type: 'DetentionStarted',
      data: {
        detentionId: journey.id(),
        actingBody: body,
        occurredOn: '2025-03-20',
        kind: 'criminal',
      },
    });

  it('detaining a person presumed a child is a breach', () => {
    const { journey, childIds } = compliantChildReturnJourney();
    const detention = detain(journey);
    expect(audit(journey, '2026-07-01T00:00:00Z')).toEqual([
      finding('ID-01', 'breach', '2025-03-20', 'presumed_child_detained', [
        childIds.uncertainty,
        detention,
      ]),
    ]);
  });

  it('once an assessment says adult, the presumption ends', () => {
    const { journey } = compliantChildReturnJourney();
    journey.identification('2025-03-15T10:00:00Z', {
      type: 'AgeAssessed',
      data: { outcome: 'adult', method: 'multidisciplinary' },
    });
    detain(journey);
    expect(audit(journey, '2026-07-01T00:00:00Z')).toEqual([]);
  });
});

describe('ID-02 guardian for an unaccompanied child', () => {
  it('a guardian appointed after the configured hours is a breach at the deadline', () => {
    const { journey, childIds } = compliantChildReturnJourney({
      guardianAt: '2025-03-03T09:11:00Z',
    });
    expect(audit(journey, '2026-07-01T00:00:00Z')).toEqual([
      finding('ID-02', 'breach', '2025-03-02T09:11:00Z', 'guardian_late', [
        childIds.unaccompanied,
        childIds.guardian,
      ]),
    ]);
  });
});

describe('ID-03 no removal before identification is complete', () => {
  it('a removal between reasonable grounds and the conclusive decision is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const removal = journey.legal({
      type: 'RemovalEnforced',
      data: { actingBody: body, occurredOn: '2025-04-17', kind: 'dublin_transfer' },
    });
    expect(audit(journey, now)).toEqual([
      finding('ID-03', 'breach', '2025-04-17', 'removed_before_conclusive_decision', [
        ids.grounds,
        removal,
      ]),
    ]);
  });

  it('a retracted removal no longer counts, but an audit as of before the retraction still sees it', () => {
    const { journey, now } = compliantAdultJourney();
    const removal = journey.legal({
      type: 'RemovalEnforced',
      data: { actingBody: body, occurredOn: '2025-04-17', kind: 'dublin_transfer' },
    });
    journey.legal(
      { type: 'EventRetracted', data: { retractedEventId: removal, reasonCode: 'wrong-journey' } },
      '2025-06-01T10:00:00Z',
    );
    expect(audit(journey, now)).toEqual([]);
    expect(audit(journey, '2025-05-01T00:00:00Z').map((found) => found.ruleId)).toEqual(['ID-03']);
  });
});

describe('ID-04 a child is a victim without means', () => {
  it('refusing a presumed child for absence of means is a breach', () => {
    const { journey, now } = compliantChildReturnJourney();
    const decision = journey.identification('2025-04-21T09:00:00Z', {
      type: 'ConclusiveGroundsDecided',
      data: {
        status: 'NotAVictimOfTrafficking',
        decidingBody: body,
        reasonCodes: ['no-means'],
        legalBasis: 'Aliens Act B8/3',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('ID-04', 'breach', '2025-04-21T09:00:00Z', 'child_refused_for_absence_of_means', [
        decision,
      ]),
    ]);
  });
});

describe('ID-05 consent is irrelevant where means were used', () => {
  it('refusing an adult for consent after methods of control were observed is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const decision = journey.identification('2025-04-21T09:00:00Z', {
      type: 'ConclusiveGroundsDecided',
      data: {
        status: 'NotAVictimOfTrafficking',
        decidingBody: body,
        reasonCodes: ['consented'],
        legalBasis: 'Aliens Act B8/3',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('ID-05', 'breach', '2025-04-21T09:00:00Z', 'refused_for_consent_despite_means', [
        decision,
        ids.indicators,
      ]),
    ]);
  });
});

describe('ID-06 identification follows indicators', () => {
  const withIndicators = (): { journey: JourneyBuilder; indicators: string } => {
    const { journey } = minimalJourney('2025-03-01T09:00:00Z');
    journey.shelter('2025-03-02T09:00:00Z', {
      type: 'RiskAssessmentCompleted',
      data: {
        assessmentId: journey.id(),
        scope: 'safety',
        level: 'low',
        risks: [],
        assessedByOrgId: ORG,
      },
    });
    const indicators = journey.identification('2025-03-01T10:00:00Z', {
      type: 'IndicatorsObserved',
      data: { indicators: ['DebtBondage'], exploitationTypes: [], observedByOrgId: ORG },
    });
    return { journey, indicators };
  };

  it('no decision and no referral within the limit is flagged at the local deadline', () => {
    const { journey, indicators } = withIndicators();
    // 14 days after 1 March, counted in Amsterdam: the deadline is local midnight of 16 March.
    expect(audit(journey, '2025-04-01T00:00:00Z')).toEqual([
      finding('ID-06', 'flag', '2025-03-15T23:00:00Z', 'identification_follow_up_missing', [
        indicators,
      ]),
    ]);
  });

  it('a decision within the limit, even negative, meets it', () => {
    const { journey } = withIndicators();
    journey.identification('2025-03-10T09:00:00Z', {
      type: 'ReasonableGroundsDecided',
      data: {
        outcome: 'negative',
        decidingBody: body,
        reasonCodes: ['insufficient'],
        legalBasis: 'B8/3',
      },
    });
    expect(audit(journey, '2025-04-01T00:00:00Z')).toEqual([]);
  });

  it('before the deadline nothing is due yet', () => {
    const { journey } = withIndicators();
    expect(audit(journey, '2025-03-15T22:59:59Z')).toEqual([]);
  });
});

describe('AS-01 assistance from reasonable grounds', () => {
  it('assistance starting after the configured days is flagged', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['admission', 'care'] });
    const first = care(journey, '2025-03-10', 'accommodation');
    care(journey, '2025-03-10', 'medical');
    care(journey, '2025-03-10', 'psychological');
    care(journey, '2025-03-10', 'counselling');
    expect(audit(journey, now)).toEqual([
      finding('AS-01', 'flag', '2025-03-05T23:00:00Z', 'assistance_late', [ids.grounds, first]),
    ]);
  });

  it('a profile version in force later, with a longer limit, judges an audit as of then', () => {
    const { journey, now } = compliantAdultJourney({ omit: ['admission', 'care'] });
    for (const code of ['accommodation', 'medical', 'psychological', 'counselling'] as const)
      care(journey, '2025-03-10', code);
    const v2: JurisdictionProfile = {
      ...NL_PROFILE,
      version: 2,
      effectiveFrom: '2026-01-01',
      limits: { ...NL_PROFILE.limits, assistanceStartDays: 10 },
    };
    expect(audit(journey, now, [NL_PROFILE, v2]).map((found) => found.ruleId)).toEqual(['AS-01']);
    expect(audit(journey, '2026-02-01T00:00:00Z', [NL_PROFILE, v2])).toEqual([]);
  });

  it('assistance that only starts after the conclusive decision is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['admission', 'care'] });
    const first = care(journey, '2025-04-25', 'accommodation');
    expect(audit(journey, now).filter((found) => found.ruleId === 'AS-01')).toEqual([
      finding(
        'AS-01',
        'breach',
        '2025-04-25T10:00:00Z',
        'assistance_only_after_conclusive_decision',
        [ids.grounds, ids.conclusive, first],
      ),
    ]);
  });
});

describe('AS-02 assistance not conditional on cooperation', () => {
  it('ending assistance for non-cooperation is a breach', () => {
    const { journey, now } = compliantAdultJourney();
    const ended = journey.care('2025-06-01T10:00:00Z', {
      type: 'AssistanceEnded',
      data: {
        reason: 'non_cooperation',
        endedBy: { name: 'Clinic' },
        endedAt: '2025-06-01T10:00:00.000Z',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('AS-02', 'breach', '2025-06-01T10:00:00Z', 'ended_for_non_cooperation', [ended]),
    ]);
  });

  it('an unexplained exit soon after the person declined to cooperate is a breach', () => {
    const { journey, now } = compliantAdultJourney();
    const declined = journey.legal({
      type: 'CooperationStatusChanged',
      data: { actingBody: body, occurredOn: '2025-06-01', status: 'declined' },
    });
    const exit = journey.shelter('2025-06-10T10:00:00Z', {
      type: 'ShelterExited',
      data: { placementId: journey.id(), shelterId: journey.id(), reason: 'other' },
    });
    expect(audit(journey, now)).toEqual([
      finding(
        'AS-02',
        'breach',
        '2025-06-10T10:00:00Z',
        'ended_unexplained_after_declined_cooperation',
        [declined, exit],
      ),
    ]);
  });
});

describe('AS-03 consensual services', () => {
  const withdraw = (journey: JourneyBuilder, consentEvent: string): void => {
    const consentId = journey.recorded.find((event) => event.id === consentEvent)?.data.consentId;
    if (typeof consentId !== 'string') throw new Error('no consent');
    journey.identification('2025-05-01T10:00:00Z', {
      type: 'ConsentWithdrawn',
      data: { consentId, scope: 'services' },
    });
  };

  it('care delivered after the services consent was withdrawn is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    withdraw(journey, ids.servicesConsent);
    const delivered = care(journey, '2025-05-05', 'psychological');
    expect(audit(journey, now)).toEqual([
      finding('AS-03', 'breach', '2025-05-05T10:00:00Z', 'care_without_valid_services_consent', [
        delivered,
      ]),
    ]);
  });

  it('emergency medical care on a vital-interest basis needs no consent', () => {
    const { journey, ids, now } = compliantAdultJourney();
    withdraw(journey, ids.servicesConsent);
    care(journey, '2025-05-05', 'emergency_medical', { vitalInterest: true });
    expect(audit(journey, now)).toEqual([]);
  });
});

describe('AS-04 information in a language understood', () => {
  it('rights explained in a language the person does not speak, without an interpreter, is a breach', () => {
    const { journey, now } = compliantAdultJourney();
    const information = journey.identification('2025-03-01T12:00:00Z', {
      type: 'InformationProvided',
      data: { topic: 'rights', language: 'fr', interpreterUsed: false },
    });
    expect(audit(journey, now)).toEqual([
      finding('AS-04', 'breach', '2025-03-01T12:00:00Z', 'rights_not_understood', [information]),
    ]);
  });

  it('with an interpreter it is met', () => {
    const { journey, now } = compliantAdultJourney();
    journey.identification('2025-03-01T12:00:00Z', {
      type: 'InformationProvided',
      data: { topic: 'rights', language: 'fr', interpreterUsed: true },
    });
    expect(audit(journey, now)).toEqual([]);
  });
});

describe('AS-05 minimum assistance basket', () => {
  it('each part missing by the end of the reflection period is flagged at its local end', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['care'] });
    // The period's last day is 15 April; it ends at local midnight, 22:00 UTC in summer time.
    const end = '2025-04-15T22:00:00Z';
    expect(audit(journey, now)).toEqual([
      finding('AS-05', 'flag', end, 'basket_missing_counselling_and_information', [ids.reflection]),
      finding('AS-05', 'flag', end, 'basket_missing_medical', [ids.reflection]),
      finding('AS-05', 'flag', end, 'basket_missing_psychological', [ids.reflection]),
    ]);
  });
});

describe('AS-06 no detention of victims', () => {
  it('immigration detention after reasonable grounds is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const detention = journey.legal({
      type: 'DetentionStarted',
      data: {
        detentionId: journey.id(),
        actingBody: body,
        occurredOn: '2025-03-20',
        kind: 'immigration',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('AS-06', 'breach', '2025-03-20', 'immigration_detention_after_reasonable_grounds', [
        ids.grounds,
        detention,
      ]),
    ]);
  });
});

describe('AS-07 safety risk assessment', () => {
  it('no safety assessment within the configured days of first contact is flagged', () => {
    const { journey, firstContact } = minimalJourney('2025-03-01T09:05:00Z');
    expect(audit(journey, '2025-04-01T00:00:00Z')).toEqual([
      finding('AS-07', 'flag', '2025-03-08T23:00:00Z', 'safety_assessment_missing', [firstContact]),
    ]);
  });
});

describe('RR-01 reflection period of at least 30 days', () => {
  const grant = (journey: JourneyBuilder, end: string): string =>
    journey.legal({
      type: 'RecoveryReflectionPeriodGranted',
      data: {
        periodId: journey.id(),
        actingBody: body,
        occurredOn: '2025-03-04',
        start: '2025-03-04',
        end,
      },
    });

  it('a period of 29 days, its start and end day counted, is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['reflection'] });
    const granted = grant(journey, '2025-04-01');
    expect(audit(journey, now)).toEqual([
      finding('RR-01', 'breach', '2025-03-04', 'reflection_period_shorter_than_30_days', [
        ids.grounds,
        granted,
      ]),
    ]);
  });

  it('a period of exactly 30 days meets it: its end day is the 30th day, inclusive as RR-02 reads it', () => {
    const { journey, now } = compliantAdultJourney({ omit: ['reflection'] });
    grant(journey, '2025-04-02');
    expect(audit(journey, now)).toEqual([]);
  });

  it('no period granted within the configured days is a breach at the deadline', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['reflection'] });
    expect(audit(journey, now)).toEqual([
      finding('RR-01', 'breach', '2025-03-09T23:00:00Z', 'reflection_period_not_granted', [
        ids.grounds,
      ]),
    ]);
  });
});

describe('RR-02 no removal during the reflection period', () => {
  it('a transfer enforced during the period is a breach (issuing the order is not)', () => {
    const { journey, now } = compliantAdultJourney({ omit: ['reflection'] });
    const granted = journey.legal({
      type: 'RecoveryReflectionPeriodGranted',
      data: {
        periodId: journey.id(),
        actingBody: body,
        occurredOn: '2025-04-21',
        start: '2025-04-21',
        end: '2025-06-30',
      },
    });
    journey.legal({
      type: 'RemovalOrderIssued',
      data: {
        orderId: journey.id(),
        actingBody: body,
        occurredOn: '2025-05-01',
        kind: 'dublin_transfer',
      },
    });
    const removal = journey.legal({
      type: 'RemovalEnforced',
      data: { actingBody: body, occurredOn: '2025-05-10', kind: 'dublin_transfer' },
    });
    expect(audit(journey, now)).toEqual([
      finding('RR-02', 'breach', '2025-05-10', 'removal_during_reflection_period', [
        granted,
        removal,
      ]),
    ]);
  });
});

describe('RR-03 early termination only on permitted grounds', () => {
  it('ending the period early for non-cooperation is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const ended = journey.legal({
      type: 'RecoveryReflectionPeriodEnded',
      data: {
        periodId: ids.reflectionPeriodId,
        actingBody: body,
        occurredOn: '2025-03-20',
        reason: 'non_cooperation',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('RR-03', 'breach', '2025-03-20', 'ended_early_for_non_cooperation', [
        ids.reflection,
        ended,
      ]),
    ]);
  });
});

describe('RR-04 reflection and protection information', () => {
  it('no information on international protection before the period ended is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['information'] });
    inform(journey, ['rights', 'legal_proceedings', 'reflection_period', 'compensation']);
    expect(audit(journey, now)).toEqual([
      finding(
        'RR-04',
        'breach',
        '2025-04-15T22:00:00Z',
        'international_protection_information_missing',
        [ids.reflection],
      ),
    ]);
  });
});

describe('RP-01 residence decision', () => {
  it('no residence decision within the configured days of the period end is flagged', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['residence'] });
    expect(audit(journey, now)).toEqual([
      finding('RP-01', 'flag', '2025-07-15T22:00:00Z', 'residence_decision_missing', [
        ids.reflection,
      ]),
    ]);
  });
});

describe('RP-02 protection claims not prejudiced', () => {
  it('a removal while a protection claim is pending is a breach', () => {
    const { journey, now } = compliantAdultJourney();
    const claim = journey.legal({
      type: 'InternationalProtectionClaimLodged',
      data: { claimId: journey.id(), actingBody: body, occurredOn: '2025-05-05' },
    });
    const removal = journey.legal({
      type: 'RemovalEnforced',
      data: { actingBody: body, occurredOn: '2025-05-20', kind: 'return' },
    });
    // The removal is a return too: the return rules judge it as well (see below).
    expect(audit(journey, now).filter((found) => found.ruleId === 'RP-02')).toEqual([
      finding('RP-02', 'breach', '2025-05-20', 'returned_while_protection_claim_pending', [
        claim,
        removal,
      ]),
    ]);
  });
});

describe('LG-01 legal information from first contact', () => {
  it('no information on legal proceedings before the first interview is flagged', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['information'] });
    inform(journey, ['rights', 'reflection_period', 'international_protection', 'compensation']);
    expect(audit(journey, now)).toEqual([
      finding('LG-01', 'flag', '2025-03-12', 'legal_information_missing', [ids.interview]),
    ]);
  });
});

describe('LG-02 legal aid before a criminal-justice interview', () => {
  it('an investigation interview with no legal aid assigned or waived before it is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['legalAid'] });
    expect(audit(journey, now)).toEqual([
      finding('LG-02', 'breach', '2025-03-12', 'interviewed_without_legal_aid', [ids.interview]),
    ]);
  });
});

describe('LG-03 secondary victimisation', () => {
  it('more interviews than the limit are flagged at the first one too many', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const more = ['2025-03-13', '2025-03-14', '2025-03-15'].map((occurredOn) =>
      journey.legal({
        type: 'InterviewConducted',
        data: {
          actingBody: body,
          occurredOn,
          purpose: 'immigration',
          professions: ['immigration_officer'],
          childAdaptedPremises: false,
          interpreterUsed: false,
          legalAssistancePresent: true,
        },
      }),
    );
    expect(audit(journey, now)).toEqual([
      finding('LG-03', 'flag', '2025-03-15', 'too_many_interviews', [ids.interview, ...more]),
    ]);
  });
});

describe('LG-04 compensation information', () => {
  it('no information on compensation within the configured days is flagged', () => {
    const { journey, ids, now } = compliantAdultJourney({ omit: ['information'] });
    inform(journey, [
      'rights',
      'legal_proceedings',
      'reflection_period',
      'international_protection',
    ]);
    expect(audit(journey, now)).toEqual([
      finding('LG-04', 'flag', '2025-04-01T22:00:00Z', 'compensation_information_missing', [
        ids.grounds,
      ]),
    ]);
  });
});

describe('NP-01 non-punishment', () => {
  const charge = (journey: JourneyBuilder): { chargeId: string; event: string } => {
    const chargeId = journey.id();
    const event = journey.legal({
      type: 'CriminalChargeFiled',
      data: {
        chargeId,
        actingBody: body,
        occurredOn: '2025-03-15',
        offence: 'irregular_stay',
        linkedToTrafficking: 'unknown',
      },
    });
    return { chargeId, event };
  };

  it('a penalty for a status offence after reasonable grounds, with no assessed decision, is a breach', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const filed = charge(journey);
    const penalty = journey.legal({
      type: 'PenaltyImposed',
      data: {
        chargeId: filed.chargeId,
        actingBody: body,
        occurredOn: '2025-04-01',
        penalty: 'fine',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('NP-01', 'breach', '2025-04-01', 'penalised_for_compelled_offence', [
        ids.grounds,
        filed.event,
        penalty,
      ]),
    ]);
  });

  const prosecute = (
    journey: JourneyBuilder,
    chargeId: string,
    traffickingAssessment: { identificationEventId?: string },
  ): string =>
    journey.legal({
      type: 'ProsecutionDecided',
      data: {
        chargeId,
        actingBody: { type: 'Prosecution', name: 'Public prosecutor' },
        occurredOn: '2025-03-25',
        outcome: 'prosecute',
        nonPunishmentConsidered: true,
        traffickingAssessment,
        reasonCodes: ['public_interest'],
      },
    });

  it('prosecuting on an empty trafficking assessment is a breach: it cites nothing', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const filed = charge(journey);
    const decision = prosecute(journey, filed.chargeId, {});
    expect(audit(journey, now)).toEqual([
      finding('NP-01', 'breach', '2025-03-25', 'prosecuted_without_trafficking_assessment', [
        ids.grounds,
        filed.event,
        decision,
      ]),
    ]);
  });

  it('an assessment naming an event that is no grounds decision of the journey cites nothing', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const filed = charge(journey);
    const decision = prosecute(journey, filed.chargeId, { identificationEventId: ids.indicators });
    expect(audit(journey, now).map((found) => [found.ruleId, found.evidenceEventIds])).toEqual([
      ['NP-01', [ids.grounds, filed.event, decision]],
    ]);
  });

  it('prosecuting on an assessment citing the grounds decision, with reasons, meets it', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const filed = charge(journey);
    prosecute(journey, filed.chargeId, { identificationEventId: ids.grounds });
    expect(audit(journey, now)).toEqual([]);
  });

  it('a decision not to prosecute, citing a trafficking assessment, meets it', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const filed = charge(journey);
    journey.legal({
      type: 'ProsecutionDecided',
      data: {
        chargeId: filed.chargeId,
        actingBody: { type: 'Prosecution', name: 'Public prosecutor' },
        occurredOn: '2025-03-25',
        outcome: 'not_prosecuted',
        nonPunishmentConsidered: true,
        traffickingAssessment: { identificationEventId: ids.grounds },
        reasonCodes: ['non_punishment'],
      },
    });
    expect(audit(journey, now)).toEqual([]);
  });
});

describe('NP-02 criminalised before identification', () => {
  it('a penalty imposed before reasonable grounds is flagged', () => {
    const { journey, ids, now } = compliantAdultJourney();
    const penalty = journey.legal({
      type: 'PenaltyImposed',
      data: {
        actingBody: body,
        occurredOn: '2025-02-20',
        penalty: 'fine',
        offence: 'false_documents',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('NP-02', 'flag', '2025-03-02T09:00:00Z', 'penalised_before_identification', [
        penalty,
        ids.grounds,
      ]),
    ]);
  });
});

describe('RT-01 return risk assessment', () => {
  it('a return after an assessment rating the risk high is a breach', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    const high = journey.reintegration('2025-05-30T10:00:00Z', {
      type: 'RiskAssessmentCompleted',
      data: { scope: 're_trafficking', level: 'high', assessedBy: decider },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-01', 'breach', '2025-06-01T10:00:00Z', 'return_despite_high_risk', [
        high,
        childIds.returnExecuted,
      ]),
    ]);
  });
});

describe('RT-01 counts only a return risk assessment', () => {
  it('a return after a re-trafficking assessment alone is a return without a risk assessment', () => {
    const { journey, now } = compliantAdultJourney();
    journey.reintegration('2025-05-20T10:00:00Z', {
      type: 'RiskAssessmentCompleted',
      data: { scope: 're_trafficking', level: 'low', assessedBy: decider },
    });
    const executed = journey.reintegration('2025-06-01T10:00:00Z', {
      type: 'ReturnExecuted',
      data: { executedBy: decider, countryOfReturn: 'NG' },
    });
    expect(audit(journey, now).filter((found) => found.ruleId === 'RT-01')).toEqual([
      finding('RT-01', 'breach', '2025-06-01T10:00:00Z', 'return_without_risk_assessment', [
        executed,
      ]),
    ]);
  });

  it('a fresh reprisal assessment does not renew an outdated return assessment', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    journey.reintegration('2025-05-30T10:00:00Z', {
      type: 'RiskAssessmentCompleted',
      data: { scope: 'reprisal', level: 'low', assessedBy: decider },
    });
    const profile: JurisdictionProfile = {
      ...NL_PROFILE,
      limits: { ...NL_PROFILE.limits, returnRiskAssessmentMaxAgeDays: 10 },
    };
    expect(audit(journey, now, [profile]).map((found) => [found.ruleId, found.reason])).toEqual([
      ['RT-01', 'risk_assessment_outdated'],
    ]);
    expect(audit(journey, now, [profile])[0]?.evidenceEventIds.at(-1)).toBe(
      childIds.returnExecuted,
    );
  });
});

describe('a forced removal is a return (RT-01, RT-03 to RT-06)', () => {
  const remove = (journey: JourneyBuilder, kind: 'return' | 'expulsion' | 'dublin_transfer') =>
    journey.legal({
      type: 'RemovalEnforced',
      data: { actingBody: body, occurredOn: '2025-06-01', kind, destinationCountry: 'NG' },
    });
  const returnRules = (findings: readonly Finding[]): Finding[] =>
    findings.filter((found) => found.ruleId.startsWith('RT-'));

  it('an expulsion with no risk assessment, no reception and no review is judged as a return', () => {
    const { journey, now } = compliantAdultJourney();
    const removal = remove(journey, 'expulsion');
    expect(audit(journey, now)).toEqual([
      finding('RT-01', 'breach', '2025-06-01', 'return_without_risk_assessment', [removal]),
      finding('RT-05', 'flag', '2025-06-01', 'reception_not_arranged', [removal]),
      finding('RT-06', 'flag', '2025-10-01T22:00:00Z', 'post_return_review_missing_3m', [removal]),
    ]);
  });

  it("a child's removal by return, with a claim pending, breaches the child safeguards and the proceedings", () => {
    const { journey, now } = compliantAdultJourney({ child: 'yes' });
    const claim = journey.legal({
      type: 'CompensationClaimed',
      data: {
        claimId: journey.id(),
        lodgedWith: { type: 'Court', name: 'District Court' },
        forum: 'criminal_proceedings',
        against: 'offender',
        occurredOn: '2025-05-01',
        filedBy: 'lawyer',
      },
    });
    const removal = remove(journey, 'return');
    expect(
      returnRules(audit(journey, now)).filter(
        (found) => found.ruleId === 'RT-03' || found.ruleId === 'RT-04',
      ),
    ).toEqual([
      finding('RT-03', 'flag', '2025-06-01', 'returned_with_proceedings_pending', [claim, removal]),
      finding('RT-04', 'breach', '2025-06-01', 'best_interests_determination_missing', [removal]),
      finding('RT-04', 'breach', '2025-06-01', 'child_views_missing', [removal]),
      finding('RT-04', 'breach', '2025-06-01', 'family_assessment_missing', [removal]),
    ]);
  });

  it('a Dublin transfer hands a claim to another member state: not a return', () => {
    const { journey, now } = compliantAdultJourney();
    remove(journey, 'dublin_transfer');
    expect(audit(journey, now)).toEqual([]);
  });
});

describe('RT-02 return preferably voluntary', () => {
  it('a return decided as not voluntary is flagged', () => {
    const { journey, now } = compliantChildReturnJourney();
    const decided = journey.reintegration('2025-05-21T10:00:00Z', {
      type: 'ReturnDecided',
      data: {
        returnId: journey.id(),
        decidingBody: { type: 'Other', name: 'Immigration service' },
        voluntary: false,
        destination: { kind: 'other', placeType: 'shelter' },
        countryOfReturn: 'NG',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-02', 'flag', '2025-05-21T10:00:00Z', 'involuntary_return', [decided]),
    ]);
  });
});

describe('RT-03 return respects pending proceedings', () => {
  it('a return while a compensation claim is pending is flagged', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    const claim = journey.legal({
      type: 'CompensationClaimed',
      data: {
        claimId: journey.id(),
        lodgedWith: { type: 'Court', name: 'District Court' },
        forum: 'criminal_proceedings',
        against: 'offender',
        occurredOn: '2025-05-01',
        filedBy: 'lawyer',
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-03', 'flag', '2025-06-01T10:00:00Z', 'returned_with_proceedings_pending', [
        claim,
        childIds.returnExecuted,
      ]),
    ]);
  });
});

describe('RT-04 child return safeguards', () => {
  it('a family assessment amended to say the family was implicated makes the return a breach', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    journey.reintegration('2025-05-18T10:00:00Z', {
      type: 'EventAmended',
      data: {
        amendedEventId: childIds.familyAssessment,
        reasonCode: 'late-information',
        replacement: {
          familyAssessmentId: childIds.familyAssessmentId,
          relationship: 'mother',
          familyImplicated: true,
          ableToCare: true,
          willingToCare: true,
          assessedBy: decider,
        },
      },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-04', 'breach', '2025-06-01T10:00:00Z', 'returned_to_implicated_family', [
        childIds.familyAssessment,
        childIds.returnDecided,
        childIds.returnExecuted,
      ]),
    ]);
  });
});

describe('RT-05 reception at the destination', () => {
  it('a return with its reception retracted is flagged', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    journey.reintegration('2025-07-01T10:00:00Z', {
      type: 'EventRetracted',
      data: { retractedEventId: childIds.reception, reasonCode: 'recorded-in-error' },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-05', 'flag', '2025-06-01T10:00:00Z', 'reception_not_arranged', [
        childIds.returnExecuted,
      ]),
    ]);
  });
});

describe('RT-06 post-return monitoring', () => {
  it('no review near the sixth month is flagged when its window closes', () => {
    const { journey, childIds, now } = compliantChildReturnJourney();
    journey.reintegration('2026-02-01T10:00:00Z', {
      type: 'EventRetracted',
      data: { retractedEventId: childIds.reviews[1] ?? '', reasonCode: 'duplicate' },
    });
    expect(audit(journey, now)).toEqual([
      finding('RT-06', 'flag', '2025-12-31T23:00:00Z', 'post_return_review_missing_6m', [
        childIds.returnExecuted,
      ]),
    ]);
  });
});

describe('RF-01 sharing requires consent', () => {
  const refer = (journey: JourneyBuilder, override: boolean): string =>
    journey.identification('2025-03-05T10:00:00Z', {
      type: 'ReferralMade',
      data: {
        referralId: journey.id(),
        toOrgId: OTHER_ORG,
        reason: 'Other',
        services: [],
        ...(override ? { override: { supervisorUserId: 'sup-1', reason: 'urgent' } } : {}),
      },
    });

  it('a referral with neither consent nor override is a breach', () => {
    const { journey, now } = compliantAdultJourney();
    const referral = refer(journey, false);
    expect(audit(journey, now)).toEqual([
      finding('RF-01', 'breach', '2025-03-05T10:00:00Z', 'referral_without_consent', [referral]),
    ]);
  });

  it('a referral on a supervisor override is flagged', () => {
    const { journey, now } = compliantAdultJourney();
    const referral = refer(journey, true);
    expect(audit(journey, now)).toEqual([
      finding('RF-01', 'flag', '2025-03-05T10:00:00Z', 'referral_on_override', [referral]),
    ]);
  });
});

describe('NRM-01 referral into the National Referral Mechanism', () => {
  const profile: JurisdictionProfile = { ...NL_PROFILE, nrmOrgIds: [NRM_ORG] };
  const journeyWithIndicators = (
    openedAt: string,
  ): { journey: JourneyBuilder; indicators: string } => {
    const { journey } = minimalJourney(openedAt);
    const at = Date.parse(openedAt);
    const later = (hours: number): string => new Date(at + hours * 3_600_000).toISOString();
    journey.shelter(later(24), {
      type: 'RiskAssessmentCompleted',
      data: {
        assessmentId: journey.id(),
        scope: 'safety',
        level: 'low',
        risks: [],
        assessedByOrgId: ORG,
      },
    });
    const indicators = journey.identification(later(1), {
      type: 'IndicatorsObserved',
      data: { indicators: ['DebtBondage'], exploitationTypes: [], observedByOrgId: ORG },
    });
    journey.identification(later(48), {
      type: 'ReasonableGroundsDecided',
      data: {
        outcome: 'negative',
        decidingBody: body,
        reasonCodes: ['insufficient'],
        legalBasis: 'B8/3',
      },
    });
    return { journey, indicators };
  };

  it('from 15 July 2026, no NRM referral within the configured days is flagged', () => {
    const { journey, indicators } = journeyWithIndicators('2026-08-01T09:00:00Z');
    expect(audit(journey, '2026-09-01T00:00:00Z', [profile])).toEqual([
      finding('NRM-01', 'flag', '2026-08-08T22:00:00Z', 'nrm_referral_missing', [indicators]),
    ]);
  });

  it('a journey whose indicators were observed before 15 July 2026 is not judged by it, even in a later audit', () => {
    const { journey } = journeyWithIndicators('2026-07-01T09:00:00Z');
    expect(audit(journey, '2026-09-01T00:00:00Z', [profile])).toEqual([]);
  });

  it('an audit as of before the rule took effect does not apply it', () => {
    const { journey } = journeyWithIndicators('2026-06-01T09:00:00Z');
    expect(audit(journey, '2026-07-10T00:00:00Z', [profile])).toEqual([]);
  });
});
