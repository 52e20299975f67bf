import { dayDeadline, hourDeadline } from '@waypoint/contracts';
import { childAt, positiveReasonableGrounds } from './journey-context.js';
import { byOccurrence, factsOf, isFact, type AuditEvent } from './journey-events.js';
import { breach, flag, type Rule, type RuleFinding } from './rule.js';

/** Rules on identification: childhood, guardians, removal before identification, the definition. */

const SINCE_CONVENTION = '2008-02-01';

/**
 * A deadline that an expected event must beat: late when it came after the deadline, missing when
 * none came and the deadline has passed by `now`. Either way the breach occurred at the deadline.
 */
export function missedDeadline(
  deadline: string,
  expected: AuditEvent | undefined,
  now: string,
): 'late' | 'missing' | undefined {
  if (expected) return expected.occurredAt > deadline ? 'late' : undefined;
  return now >= deadline ? 'missing' : undefined;
}

export const presumptionOfChildhood: Rule = {
  id: 'ID-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Presumption of childhood until the age is assessed',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 10(3)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 13(2)' },
    { instrument: 'UNICEF Guidelines (2006)', article: '§3' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'From AgeUncertaintyRecorded until AgeAssessed{adult}: no detention, removal, return without a best-interests determination, admission to an adults-only shelter, or interview outside child-adapted premises.',
  evidence: 'AgeUncertaintyRecorded and the offending event',
  evaluate({ events }) {
    const uncertainty = factsOf(events, 'identification', 'AgeUncertaintyRecorded')[0];
    if (!uncertainty) return [];
    const assessedAdult = factsOf(events, 'identification', 'AgeAssessed').find(
      (event) => event.data.outcome === 'adult' && event.occurredAt >= uncertainty.occurredAt,
    );
    const findings: RuleFinding[] = [];
    let bestInterests = false;
    for (const event of events) {
      if (event.occurredAt < uncertainty.occurredAt) continue;
      if (assessedAdult && byOccurrence(event, assessedAdult) >= 0) break;
      if (isFact(event, 'reintegration', 'BestInterestsDetermined')) bestInterests = true;
      const reason = offenceAgainstPresumption(event, bestInterests);
      if (reason) findings.push(breach(event.occurredAt, [uncertainty.id, event.id], reason));
    }
    return findings;
  },
};

function offenceAgainstPresumption(event: AuditEvent, bestInterests: boolean): string | undefined {
  if (isFact(event, 'legal', 'DetentionStarted')) return 'presumed_child_detained';
  if (isFact(event, 'legal', 'RemovalEnforced')) return 'presumed_child_removed';
  if (isFact(event, 'reintegration', 'ReturnExecuted') && !bestInterests)
    return 'presumed_child_returned_without_best_interests';
  if (
    (isFact(event, 'shelter', 'ShelterAdmitted') ||
      isFact(event, 'shelter', 'ShelterTransferred')) &&
    event.data.shelter.adultsOnly
  )
    return 'presumed_child_in_adult_shelter';
  if (isFact(event, 'legal', 'InterviewConducted') && !event.data.childAdaptedPremises)
    return 'presumed_child_interviewed_outside_adapted_premises';
  return undefined;
}

export const guardianForUnaccompaniedChild: Rule = {
  id: 'ID-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A guardian for an unaccompanied child without delay',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 10(4)(a)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 14(2), 16(3)' },
    { instrument: 'UNICEF Guidelines (2006)', article: '§3' },
  ],
  severities: ['breach'],
  limit: 'guardianHours (hours from the record of an unaccompanied child)',
  limitKeys: ['guardianHours'],
  checks:
    'GuardianAppointed within the limit of UnaccompaniedChildRecorded; no best-interests determination or return decision before a guardian.',
  evidence:
    'UnaccompaniedChildRecorded, and the late GuardianAppointed or the decision taken without one',
  evaluate({ events, profile, now }) {
    const unaccompanied = factsOf(events, 'identification', 'UnaccompaniedChildRecorded')[0];
    if (!unaccompanied) return [];
    const guardian = factsOf(events, 'identification', 'GuardianAppointed')[0];
    const findings: RuleFinding[] = [];
    const deadline = hourDeadline(unaccompanied.occurredAt, profile.limits.guardianHours);
    const afterUnaccompanied = guardian && guardian.occurredAt >= unaccompanied.occurredAt;
    const missed = missedDeadline(deadline, afterUnaccompanied ? guardian : undefined, now);
    if (missed && !(guardian && guardian.occurredAt < unaccompanied.occurredAt))
      findings.push(breach(deadline, [unaccompanied.id, guardian?.id], `guardian_${missed}`));
    for (const event of events) {
      if (event.occurredAt < unaccompanied.occurredAt) continue;
      if (guardian && byOccurrence(event, guardian) >= 0) break;
      if (isFact(event, 'reintegration', 'BestInterestsDetermined'))
        findings.push(
          breach(event.occurredAt, [unaccompanied.id, event.id], 'best_interests_without_guardian'),
        );
      if (
        isFact(event, 'reintegration', 'ReturnDecided') ||
        isFact(event, 'reintegration', 'AssistedReturnDecided')
      )
        findings.push(
          breach(event.occurredAt, [unaccompanied.id, event.id], 'return_decided_without_guardian'),
        );
    }
    return findings;
  },
};

export const noRemovalBeforeIdentification: Rule = {
  id: 'ID-03',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'No removal before identification is complete',
  sources: [{ instrument: 'CoE CETS 197', article: 'Art. 10(2)' }],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'No RemovalEnforced between a positive reasonable-grounds decision and a conclusive decision.',
  evidence: 'ReasonableGroundsDecided{positive} and RemovalEnforced',
  evaluate({ events }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds) return [];
    const conclusive = factsOf(events, 'identification', 'ConclusiveGroundsDecided').find(
      (event) => event.occurredAt >= grounds.occurredAt,
    );
    return factsOf(events, 'legal', 'RemovalEnforced')
      .filter(
        (removal) =>
          removal.occurredAt >= grounds.occurredAt &&
          (conclusive === undefined || removal.occurredAt < conclusive.occurredAt),
      )
      .map((removal) =>
        breach(removal.occurredAt, [grounds.id, removal.id], 'removed_before_conclusive_decision'),
      );
  },
};

const normalise = (code: string): string => code.replace(/-/g, '_');

export const childDefinitionNoMeans: Rule = {
  id: 'ID-04',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A child is a victim without any means used',
  sources: [
    { instrument: 'Palermo Protocol', article: 'Art. 3(c), 3(d)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 2(5)' },
    { instrument: 'CoE CETS 197', article: 'Art. 4(c)' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A conclusive NotAVictim decision on a (presumed) child must not give no_means, no_coercion or consented as a reason.',
  evidence: 'ConclusiveGroundsDecided',
  evaluate({ events }) {
    return factsOf(events, 'identification', 'ConclusiveGroundsDecided')
      .filter(
        (decision) =>
          decision.data.status === 'NotAVictimOfTrafficking' &&
          childAt(events, decision.occurredAt) &&
          decision.data.reasonCodes
            .map(normalise)
            .some((code) => ['no_means', 'no_coercion', 'consented'].includes(code)),
      )
      .map((decision) =>
        breach(decision.occurredAt, [decision.id], 'child_refused_for_absence_of_means'),
      );
  },
};

export const consentIrrelevant: Rule = {
  id: 'ID-05',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Consent to the exploitation is irrelevant where means were used',
  sources: [
    { instrument: 'Palermo Protocol', article: 'Art. 3(b)' },
    { instrument: 'Directive 2011/36/EU', article: 'Art. 2(4)' },
    { instrument: 'CoE CETS 197', article: 'Art. 4(b)' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A conclusive NotAVictim decision on an adult must not give consented as a reason when methods of control were observed.',
  evidence: 'ConclusiveGroundsDecided and the IndicatorsObserved before it',
  evaluate({ events }) {
    const findings: RuleFinding[] = [];
    for (const decision of factsOf(events, 'identification', 'ConclusiveGroundsDecided')) {
      if (decision.data.status !== 'NotAVictimOfTrafficking') continue;
      if (childAt(events, decision.occurredAt)) continue;
      if (!decision.data.reasonCodes.map(normalise).includes('consented')) continue;
      const indicators = factsOf(events, 'identification', 'IndicatorsObserved').filter(
        (observed) => observed.occurredAt <= decision.occurredAt,
      );
      if (indicators.length === 0) continue;
      findings.push(
        breach(
          decision.occurredAt,
          [decision.id, ...indicators.map((observed) => observed.id)],
          'refused_for_consent_despite_means',
        ),
      );
    }
    return findings;
  },
};

export const identificationFollowUp: Rule = {
  id: 'ID-06',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Identification does not wait for the person to self-report',
  sources: [
    { instrument: 'ECtHR', article: 'V.C.L. and A.N. v. UK (2021)' },
    { instrument: 'OHCHR Principles and Guidelines', article: 'Guideline 2' },
  ],
  severities: ['flag'],
  limit: 'identificationFollowUpDays (days from the first indicators)',
  limitKeys: ['identificationFollowUpDays'],
  checks:
    'After indicators are observed, a reasonable-grounds decision or a referral follows within the limit.',
  evidence: 'IndicatorsObserved, and the late decision or referral',
  evaluate({ events, profile, now }) {
    const indicators = factsOf(events, 'identification', 'IndicatorsObserved')[0];
    if (!indicators) return [];
    const followUp = events.find(
      (event) =>
        event.occurredAt >= indicators.occurredAt &&
        (isFact(event, 'identification', 'ReasonableGroundsDecided') ||
          isFact(event, 'identification', 'ReferralMade')),
    );
    const deadline = dayDeadline(
      indicators.occurredAt,
      profile.limits.identificationFollowUpDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, followUp, now);
    return missed
      ? [flag(deadline, [indicators.id, followUp?.id], `identification_follow_up_${missed}`)]
      : [];
  },
};

export const IDENTIFICATION_RULES: readonly Rule[] = [
  presumptionOfChildhood,
  guardianForUnaccompaniedChild,
  noRemovalBeforeIdentification,
  childDefinitionNoMeans,
  consentIrrelevant,
  identificationFollowUp,
];
