import { addDays, dayDeadline, startOfLocalDay } from '@waypoint/contracts';
import { missedDeadline } from './identification-rules.js';
import {
  childAt,
  conclusiveDecision,
  firstAssistance,
  personRecord,
  positiveReasonableGrounds,
  reflectionPeriods,
} from './journey-context.js';
import { factsOf, isFact, type AuditEvent } from './journey-events.js';
import { breach, flag, type Rule, type RuleFinding } from './rule.js';

/** Rules on assistance: when it starts, what it may not depend on, consent, language, detention, safety. */

const SINCE_CONVENTION = '2008-02-01';

export const assistanceFromReasonableGrounds: Rule = {
  id: 'AS-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Assistance from the reasonable-grounds decision',
  sources: [
    { instrument: 'Directive 2011/36/EU', article: 'Art. 11(2)' },
    { instrument: 'CoE CETS 197', article: 'Art. 10(2), 12(1)-(2)' },
  ],
  severities: ['breach', 'flag'],
  limit: 'assistanceStartDays (days from a positive reasonable-grounds decision)',
  limitKeys: ['assistanceStartDays'],
  checks:
    'Breach when the first care or shelter only starts after the conclusive decision; flag when it starts (or is still missing) after the limit.',
  evidence:
    'ReasonableGroundsDecided{positive}, the first CareDelivered or ShelterAdmitted, the conclusive decision',
  evaluate({ events, profile, now }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    const first = firstAssistance(events);
    const conclusive = conclusiveDecision(events);
    if (
      first &&
      conclusive &&
      first.occurredAt > conclusive.occurredAt &&
      first.occurredAt > grounds.occurredAt
    )
      return [
        breach(
          first.occurredAt,
          [grounds.id, conclusive.id, first.id],
          'assistance_only_after_conclusive_decision',
        ),
      ];
    const deadline = dayDeadline(
      grounds.occurredAt,
      profile.limits.assistanceStartDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, first, now);
    return missed ? [flag(deadline, [grounds.id, first?.id], `assistance_${missed}`)] : [];
  },
};

const ENDS_ON_COOPERATION = new Set(['non_cooperation', 'declined_to_testify']);

export const assistanceNotConditionalOnCooperation: Rule = {
  id: 'AS-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Assistance is not conditional on cooperation with the authorities',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 12(6)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 11(3)' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Principle 8, Guideline 6.1' },
  ],
  severities: ['breach'],
  limit: 'cooperationEndDays (days after a declined cooperation)',
  limitKeys: ['cooperationEndDays'],
  checks:
    'Assistance or a shelter placement does not end for non-cooperation, nor without a specific reason soon after the person declined to cooperate.',
  evidence:
    'AssistanceEnded or ShelterExited, and the CooperationStatusChanged{declined} before it',
  evaluate({ events, profile }) {
    const findings: RuleFinding[] = [];
    const declines = factsOf(events, 'legal', 'CooperationStatusChanged').filter(
      (change) => change.data.status === 'declined',
    );
    for (const event of events) {
      let reason: string | undefined;
      if (isFact(event, 'care', 'AssistanceEnded')) reason = event.data.reason;
      else if (isFact(event, 'shelter', 'ShelterExited')) reason = event.data.reason;
      else continue;
      if (ENDS_ON_COOPERATION.has(reason)) {
        findings.push(breach(event.occurredAt, [event.id], `ended_for_${reason}`));
        continue;
      }
      if (reason !== 'other') continue;
      const decline = declines.findLast(
        (change) =>
          change.occurredAt <= event.occurredAt &&
          event.occurredAt <
            dayDeadline(change.occurredAt, profile.limits.cooperationEndDays, profile.timeZone),
      );
      if (decline)
        findings.push(
          breach(
            event.occurredAt,
            [decline.id, event.id],
            'ended_unexplained_after_declined_cooperation',
          ),
        );
    }
    return findings;
  },
};

/** Whether a services consent was valid at `at`: recorded, not withdrawn by then, not expired. */
function servicesConsentAt(events: readonly AuditEvent[], at: string): boolean {
  const withdrawn = new Set(
    factsOf(events, 'identification', 'ConsentWithdrawn')
      .filter((withdrawal) => withdrawal.occurredAt <= at)
      .map((withdrawal) => withdrawal.data.consentId),
  );
  return factsOf(events, 'identification', 'ConsentRecorded').some(
    (consent) =>
      consent.data.scope === 'services' &&
      consent.occurredAt <= at &&
      !withdrawn.has(consent.data.consentId) &&
      (consent.data.validUntil === undefined || consent.data.validUntil > at),
  );
}

export const consensualServices: Rule = {
  id: 'AS-03',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Services on a consensual and informed basis',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 12(7)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 11(5)' },
    { instrument: 'WHO Ethical and safety recommendations (2003)', article: 'Principle 6' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'Care is delivered only under a services consent valid at that time (withdrawn or expired consent is invalid), except emergency medical care marked as vital interest.',
  evidence: 'CareDelivered',
  evaluate({ events }) {
    return factsOf(events, 'care', 'CareDelivered')
      .filter(
        (care) =>
          !(care.data.vitalInterest && care.data.careCode === 'emergency_medical') &&
          !servicesConsentAt(events, care.occurredAt),
      )
      .map((care) => breach(care.occurredAt, [care.id], 'care_without_valid_services_consent'));
  },
};

const TOPICS_NEEDING_LANGUAGE = new Set(['rights', 'legal_proceedings', 'reflection_period']);

export const informationInUnderstoodLanguage: Rule = {
  id: 'AS-04',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Information in a language the person understands',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 12(1)(c)-(d), 15(1)' },
    { instrument: 'Palermo Protocol', article: 'Art. 6(3)(b)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 11(5)-(6)' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    "Information on rights, legal proceedings or the reflection period is given in one of the person's languages or through an interpreter.",
  evidence: 'InformationProvided',
  evaluate({ events }) {
    const languages = personRecord(events)?.data.languages;
    if (!languages) return [];
    return factsOf(events, 'identification', 'InformationProvided')
      .filter(
        (information) =>
          TOPICS_NEEDING_LANGUAGE.has(information.data.topic) &&
          !information.data.interpreterUsed &&
          !languages.includes(information.data.language),
      )
      .map((information) =>
        breach(
          information.occurredAt,
          [information.id],
          `${information.data.topic}_not_understood`,
        ),
      );
  },
};

/** The basket's parts and the care codes (or shelter) that provide each. */
const BASKET: readonly {
  part: string;
  codes: readonly string[];
  shelter?: true;
  childOnly?: true;
}[] = [
  { part: 'accommodation', codes: ['accommodation'], shelter: true },
  { part: 'medical', codes: ['emergency_medical', 'medical'] },
  { part: 'psychological', codes: ['psychological'] },
  { part: 'counselling_and_information', codes: ['counselling', 'information_on_rights'] },
  { part: 'education', codes: ['education'], childOnly: true },
];

export const minimumAssistanceBasket: Rule = {
  id: 'AS-05',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'The minimum assistance basket',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 12(1)(a)-(f)' },
    { instrument: 'Palermo Protocol', article: 'Art. 6(3)' },
  ],
  severities: ['flag'],
  limit: 'the reflection period, or minimumBasketDays from a positive reasonable-grounds decision',
  limitKeys: ['minimumBasketDays'],
  checks:
    'By the end of the reflection period (or of the first days after reasonable grounds): accommodation, medical care, psychological help, counselling and information, and education for a child.',
  evidence: 'ReasonableGroundsDecided{positive} or RecoveryReflectionPeriodGranted',
  evaluate({ events, profile, now }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    const period = reflectionPeriods(events)[0];
    const lastDay = period
      ? period.lastDay
      : addDays(grounds.day, profile.limits.minimumBasketDays);
    const windowEnd = startOfLocalDay(addDays(lastDay, 1), profile.timeZone);
    if (now < windowEnd) return [];
    const within = events.filter((event) => event.occurredAt < windowEnd);
    const codes = new Set(
      factsOf(within, 'care', 'CareDelivered').map((care) => care.data.careCode),
    );
    const sheltered = within.some((event) => isFact(event, 'shelter', 'ShelterAdmitted'));
    const child = childAt(events, windowEnd);
    const anchor = period ? period.granted.id : grounds.id;
    return BASKET.filter(
      (item) =>
        !(item.childOnly && !child) &&
        !(item.shelter && sheltered) &&
        !item.codes.some((code) => codes.has(code)),
    ).map((item) => flag(windowEnd, [anchor], `basket_missing_${item.part}`));
  },
};

export const noDetentionOfVictims: Rule = {
  id: 'AS-06',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'No detention of (presumed) victims',
  sources: [
    { instrument: 'OHCHR Principles and Guidelines', article: 'Principle 7, Guideline 6.1' },
    { instrument: 'Gallagher & Pearson (2008)', article: 'detention in shelters' },
  ],
  severities: ['breach', 'flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'Breach for immigration detention after a positive reasonable-grounds decision; flag for restricted freedom of movement in a shelter or detention in a closed shelter.',
  evidence: 'DetentionStarted or the placement, and the reasonable-grounds decision',
  evaluate({ events }) {
    const grounds = positiveReasonableGrounds(events);
    const findings: RuleFinding[] = [];
    for (const event of events) {
      if (isFact(event, 'legal', 'DetentionStarted')) {
        if (event.data.kind === 'immigration' && grounds && event.occurredAt >= grounds.occurredAt)
          findings.push(
            breach(
              event.occurredAt,
              [grounds.id, event.id],
              'immigration_detention_after_reasonable_grounds',
            ),
          );
        if (event.data.kind === 'shelter')
          findings.push(flag(event.occurredAt, [event.id], 'detained_in_closed_shelter'));
      }
      if (
        (isFact(event, 'shelter', 'ShelterAdmitted') ||
          isFact(event, 'shelter', 'ShelterTransferred')) &&
        event.data.freedomOfMovementRestricted
      )
        findings.push(
          flag(
            event.occurredAt,
            [event.id],
            event.data.restriction
              ? 'movement_restricted_in_shelter'
              : 'movement_restricted_without_justification',
          ),
        );
    }
    return findings;
  },
};

export const safetyRiskAssessment: Rule = {
  id: 'AS-07',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A safety and risk assessment',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 12(2), 28' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 12(3)' },
  ],
  severities: ['flag'],
  limit: 'safetyAssessmentDays (days from the first contact)',
  limitKeys: ['safetyAssessmentDays'],
  checks: 'A safety risk assessment within the limit of the first contact (or of the opening).',
  evidence: 'FirstContactRecorded (or JourneyOpened), and the late assessment',
  evaluate({ events, profile, now }) {
    const start =
      factsOf(events, 'identification', 'FirstContactRecorded')[0] ??
      factsOf(events, 'identification', 'JourneyOpened')[0];
    if (!start) return [];
    const assessment = factsOf(events, 'shelter', 'RiskAssessmentCompleted')[0];
    const deadline = dayDeadline(
      start.occurredAt,
      profile.limits.safetyAssessmentDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, assessment, now);
    return missed
      ? [flag(deadline, [start.id, assessment?.id], `safety_assessment_${missed}`)]
      : [];
  },
};

export const ASSISTANCE_RULES: readonly Rule[] = [
  assistanceFromReasonableGrounds,
  assistanceNotConditionalOnCooperation,
  consensualServices,
  informationInUnderstoodLanguage,
  minimumAssistanceBasket,
  noDetentionOfVictims,
  safetyRiskAssessment,
];
