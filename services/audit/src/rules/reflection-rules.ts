import { addDays, dayDeadline, daysBetween, startOfLocalDay } from '@waypoint/contracts';
import { missedDeadline } from './identification-rules.js';
import { nonNational, positiveReasonableGrounds, reflectionPeriods } from './journey-context.js';
import { factsOf, isFact, type AuditEvent } from './journey-events.js';
import { breach, flag, type Rule, type RuleFinding } from './rule.js';

/** Rules on the recovery and reflection period and on residence and protection. */

const SINCE_CONVENTION = '2008-02-01';
/** CETS 197 Art. 13(1): the one time limit fixed in law, not configuration. */
export const REFLECTION_MINIMUM_DAYS = 30;

export const reflectionPeriodGranted: Rule = {
  id: 'RR-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A recovery and reflection period of at least 30 days',
  sources: [{ instrument: 'CoE CETS 197', article: 'Art. 13(1)' }],
  severities: ['breach'],
  limit: `${String(REFLECTION_MINIMUM_DAYS)} days minimum (fixed in law); reflectionGrantDays to grant it`,
  limitKeys: ['reflectionGrantDays'],
  checks:
    'For a non-national with a positive reasonable-grounds decision: a period is granted within the limit, and it runs at least 30 days, counting its start and its end day (the end is inclusive, as RR-02 reads it).',
  evidence: 'ReasonableGroundsDecided{positive}, RecoveryReflectionPeriodGranted',
  evaluate({ events, profile, jurisdiction, now }) {
    const grounds = positiveReasonableGrounds(events);
    if (!grounds || nonNational(events, jurisdiction) !== true) return [];
    const periods = reflectionPeriods(events);
    const findings: RuleFinding[] = periods
      .filter(
        ({ granted }) =>
          daysBetween(granted.data.start, granted.data.end) + 1 < REFLECTION_MINIMUM_DAYS,
      )
      .map(({ granted }) =>
        breach(
          granted.occurredAt,
          [grounds.id, granted.id],
          'reflection_period_shorter_than_30_days',
        ),
      );
    const deadline = dayDeadline(
      grounds.occurredAt,
      profile.limits.reflectionGrantDays,
      profile.timeZone,
    );
    if (periods.length === 0 && missedDeadline(deadline, undefined, now))
      findings.push(breach(deadline, [grounds.id], 'reflection_period_not_granted'));
    return findings;
  },
};

export const noRemovalDuringReflection: Rule = {
  id: 'RR-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'No expulsion or transfer enforced during the reflection period',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 13(1)' },
    { instrument: 'Directive 2004/81/EC', article: 'Art. 6(2)' },
    { instrument: 'CJEU', article: 'C-66/21 O.T.E. (2022)' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks:
    'No RemovalEnforced of any kind on a day within a reflection period (issuing an order is allowed).',
  evidence: 'RecoveryReflectionPeriodGranted and RemovalEnforced',
  evaluate({ events }) {
    const periods = reflectionPeriods(events);
    return factsOf(events, 'legal', 'RemovalEnforced').flatMap((removal) =>
      periods
        .filter((period) => period.start <= removal.day && removal.day <= period.lastDay)
        .map((period) =>
          breach(
            removal.occurredAt,
            [period.granted.id, removal.id],
            'removal_during_reflection_period',
          ),
        ),
    );
  },
};

const PERMITTED_EARLY_ENDS = new Set(['public_order', 'improper_claim']);
/** Ends that replace the period with something at least as protective: not a termination. */
const NOT_A_TERMINATION = new Set(['residence_permit_granted']);

export const earlyEndOnPermittedGrounds: Rule = {
  id: 'RR-03',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Early termination only on the permitted grounds',
  sources: [{ instrument: 'CoE CETS 197', article: 'Art. 13(3)' }],
  severities: ['breach', 'flag'],
  limit: 'none',
  limitKeys: [],
  checks:
    'A period ended before its end only for public order or an improper claim (breach otherwise); a permitted ground with no documentation is flagged.',
  evidence: 'RecoveryReflectionPeriodGranted and RecoveryReflectionPeriodEnded',
  evaluate({ events }) {
    const findings: RuleFinding[] = [];
    for (const { granted, ended } of reflectionPeriods(events)) {
      if (!ended || ended.data.occurredOn >= granted.data.end) continue;
      const reason = ended.data.reason;
      if (NOT_A_TERMINATION.has(reason)) continue;
      if (!PERMITTED_EARLY_ENDS.has(reason))
        findings.push(
          breach(ended.occurredAt, [granted.id, ended.id], `ended_early_for_${reason}`),
        );
      else if (ended.data.notes === undefined && ended.data.reference === undefined)
        findings.push(
          flag(ended.occurredAt, [granted.id, ended.id], 'early_end_ground_undocumented'),
        );
    }
    return findings;
  },
};

const REFLECTION_TOPICS = ['reflection_period', 'international_protection'] as const;

export const reflectionInformationGiven: Rule = {
  id: 'RR-04',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'Information on the reflection period and on international protection',
  sources: [{ instrument: 'Directive 2011/36/EU', article: 'Art. 11(6)' }],
  severities: ['breach'],
  limit: 'the end of the reflection period',
  limitKeys: [],
  checks: 'Both topics were explained before the reflection period ended.',
  evidence: 'RecoveryReflectionPeriodGranted',
  evaluate({ events, profile, now }) {
    const findings: RuleFinding[] = [];
    for (const period of reflectionPeriods(events)) {
      const end = startOfLocalDay(addDays(period.lastDay, 1), profile.timeZone);
      if (now < end) continue;
      for (const topic of REFLECTION_TOPICS) {
        const given = factsOf(events, 'identification', 'InformationProvided').some(
          (information) => information.data.topic === topic && information.occurredAt < end,
        );
        if (!given) findings.push(breach(end, [period.granted.id], `${topic}_information_missing`));
      }
    }
    return findings;
  },
};

/** When the residence question arose: a conclusive positive decision, or the end of a period. */
function residenceTrigger(
  events: readonly AuditEvent[],
  timeZone: string,
): { at: string; id: string } | undefined {
  const triggers: { at: string; id: string }[] = [];
  const conclusive = factsOf(events, 'identification', 'ConclusiveGroundsDecided').find(
    (decision) => decision.data.status === 'ActualVictimOfTrafficking',
  );
  if (conclusive) triggers.push({ at: conclusive.occurredAt, id: conclusive.id });
  for (const period of reflectionPeriods(events))
    triggers.push({
      at: startOfLocalDay(addDays(period.lastDay, 1), timeZone),
      id: period.ended?.id ?? period.granted.id,
    });
  return triggers.sort((a, b) => a.at.localeCompare(b.at))[0];
}

export const residenceDecisionTaken: Rule = {
  id: 'RP-01',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A residence decision is taken',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 14(1)' },
    { instrument: 'Palermo Protocol', article: 'Art. 7' },
  ],
  severities: ['flag'],
  limit:
    'residenceDecisionDays (days from the end of the reflection period or a conclusive positive decision)',
  limitKeys: ['residenceDecisionDays'],
  checks: 'For a non-national, a ResidencePermitDecided (with its grounds) within the limit.',
  evidence: 'The conclusive decision or the reflection period, and the late decision',
  evaluate({ events, profile, jurisdiction, now }) {
    if (nonNational(events, jurisdiction) !== true) return [];
    const trigger = residenceTrigger(events, profile.timeZone);
    if (!trigger || trigger.at > now) return [];
    const decision = factsOf(events, 'legal', 'ResidencePermitDecided')[0];
    const deadline = dayDeadline(
      trigger.at,
      profile.limits.residenceDecisionDays,
      profile.timeZone,
    );
    const missed = missedDeadline(deadline, decision, now);
    return missed
      ? [flag(deadline, [trigger.id, decision?.id], `residence_decision_${missed}`)]
      : [];
  },
};

export const protectionClaimNotPrejudiced: Rule = {
  id: 'RP-02',
  version: 1,
  effectiveFrom: SINCE_CONVENTION,
  title: 'A pending claim for international protection is not prejudiced',
  sources: [
    { instrument: 'CoE CETS 197', article: 'Art. 14(5), 40(4)' },
    { instrument: 'Palermo Protocol', article: 'Art. 14' },
  ],
  severities: ['breach'],
  limit: 'none',
  limitKeys: [],
  checks: 'No return or removal while a claim for international protection is pending.',
  evidence: 'InternationalProtectionClaimLodged and ReturnExecuted or RemovalEnforced',
  evaluate({ events }) {
    const findings: RuleFinding[] = [];
    const pending = new Map<string, string>();
    for (const event of events) {
      if (isFact(event, 'legal', 'InternationalProtectionClaimLodged'))
        pending.set(event.data.claimId, event.id);
      if (isFact(event, 'legal', 'InternationalProtectionClaimDecided'))
        pending.delete(event.data.claimId);
      if (
        (isFact(event, 'reintegration', 'ReturnExecuted') ||
          isFact(event, 'legal', 'RemovalEnforced')) &&
        pending.size > 0
      )
        findings.push(
          breach(
            event.occurredAt,
            [...pending.values(), event.id],
            'returned_while_protection_claim_pending',
          ),
        );
    }
    return findings;
  },
};

export const REFLECTION_RULES: readonly Rule[] = [
  reflectionPeriodGranted,
  noRemovalDuringReflection,
  earlyEndOnPermittedGrounds,
  reflectionInformationGiven,
  residenceDecisionTaken,
  protectionClaimNotPrejudiced,
];
