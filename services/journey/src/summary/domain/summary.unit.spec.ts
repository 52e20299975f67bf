import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueItems, DEFAULT_DUE_POLICY } from './due.js';
import { foldsIncrementally, summarise } from './summarise.js';
import { emptySummary, evolveSummary } from './summary.js';
import type { TimelineEntry } from './timeline-entry.js';

const JOURNEY = '0193c000-0000-7000-8000-0000000000aa';
const OPENER = '0193c000-0000-7000-8000-000000000001';
const SHELTER = '0193c000-0000-7000-8000-000000000002';
let sequence = 0;

function entry(
  service: string,
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
): TimelineEntry {
  sequence += 1;
  return {
    eventId: `0193c000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    journeyId: JOURNEY,
    stream: `${service}-${JOURNEY}`,
    service,
    revision: sequence,
    type,
    schemaVersion: 1,
    data,
    occurredAt,
    recordedAt: '2026-06-01T00:00:00.000Z',
    actor: { userId: 'u', role: 'caseworker', orgId: OPENER },
    legalBasis: null,
    position: String(sequence).padStart(20, '0'),
  };
}

const opened = () =>
  entry(
    'identification',
    'JourneyOpened',
    { journeyId: JOURNEY, jurisdiction: 'NL', openedByOrgId: OPENER },
    '2026-01-01T10:00:00.000Z',
  );

describe('a journey summary', () => {
  it('given an opening, a positive reasonable-grounds decision and a reflection period, is in recovery with the period ending due', () => {
    const summary = summarise(JOURNEY, [
      opened(),
      entry(
        'identification',
        'ReasonableGroundsDecided',
        { outcome: 'positive' },
        '2026-01-03T00:00:00.000Z',
      ),
      entry(
        'legal',
        'RecoveryReflectionPeriodGranted',
        { periodId: 'p1', start: '2026-01-03', end: '2026-02-15' },
        '2026-01-03T00:00:00.000Z',
      ),
    ]);
    expect(summary).toMatchObject({
      phase: 'recovery',
      organisations: [OPENER],
      identification: {
        reasonableGrounds: { outcome: 'positive', at: '2026-01-03T00:00:00.000Z' },
      },
      reflectionPeriod: { end: '2026-02-15', endedAt: null },
    });
    expect(dueItems(summary, DEFAULT_DUE_POLICY)).toEqual([
      { kind: 'consent-missing', dueOn: '2026-01-01' },
      { kind: 'reflection-period-ends', dueOn: '2026-02-15' },
    ]);
  });

  it('given a retracted decision, counts it no more; given an amended one, counts its replacement', () => {
    const decision = entry(
      'identification',
      'ReasonableGroundsDecided',
      { outcome: 'positive' },
      '2026-01-03T00:00:00.000Z',
    );
    const retracted = summarise(JOURNEY, [
      opened(),
      decision,
      entry(
        'identification',
        'EventRetracted',
        { retractedEventId: decision.eventId, reasonCode: 'wrong-journey' },
        '2026-01-04T00:00:00.000Z',
      ),
    ]);
    expect(retracted.identification.reasonableGrounds).toBeNull();
    expect(retracted.phase).toBe('identification');
    const amended = summarise(JOURNEY, [
      opened(),
      decision,
      entry(
        'identification',
        'EventAmended',
        {
          amendedEventId: decision.eventId,
          reasonCode: 'data-entry-error',
          replacement: { outcome: 'negative' },
        },
        '2026-01-04T00:00:00.000Z',
      ),
    ]);
    expect(amended.identification.reasonableGrounds).toMatchObject({ outcome: 'negative' });
  });

  it('gives access to a referred organisation while the referral is accepted and its consent stands', () => {
    const made = entry(
      'identification',
      'ReferralMade',
      { referralId: 'r1', toOrgId: SHELTER, consentId: 'c1' },
      '2026-01-02T00:00:00.000Z',
    );
    const accepted = entry(
      'identification',
      'ReferralAccepted',
      { referralId: 'r1', byOrgId: SHELTER },
      '2026-01-02T01:00:00.000Z',
    );
    expect(summarise(JOURNEY, [opened(), made]).organisations).toEqual([OPENER]);
    expect(summarise(JOURNEY, [opened(), made, accepted]).organisations).toEqual([OPENER, SHELTER]);
    const withdrawn = entry(
      'identification',
      'ConsentWithdrawn',
      { consentId: 'c1', scope: 'sharing' },
      '2026-01-05T00:00:00.000Z',
    );
    expect(summarise(JOURNEY, [opened(), made, accepted, withdrawn]).organisations).toEqual([
      OPENER,
    ]);
  });

  it('asks for a guardian within the policy hours of a child being presumed, and not once one is appointed', () => {
    const presumed = entry(
      'identification',
      'AgeUncertaintyRecorded',
      { reasonsToBelieveChild: ['appearance'] },
      '2026-01-01T12:00:00.000Z',
    );
    const summary = summarise(JOURNEY, [opened(), presumed]);
    expect(dueItems(summary, { ...DEFAULT_DUE_POLICY, guardianWithinHours: 24 })).toContainEqual({
      kind: 'guardian-not-appointed',
      dueOn: '2026-01-02',
    });
    const guardian = entry(
      'identification',
      'GuardianAppointed',
      { appointedBy: {} },
      '2026-01-02T08:00:00.000Z',
    );
    expect(
      dueItems(summarise(JOURNEY, [opened(), presumed, guardian]), DEFAULT_DUE_POLICY).map(
        (d) => d.kind,
      ),
    ).not.toContain('guardian-not-appointed');
  });

  const plainEvents = [
    (at: string) =>
      entry('identification', 'ReasonableGroundsDecided', { outcome: 'positive' }, at),
    (at: string) => entry('shelter', 'RiskAssessmentCompleted', { level: 'high' }, at),
    (at: string) => entry('shelter', 'RiskAssessmentCompleted', { level: 'low' }, at),
    (at: string) => entry('legal', 'DetentionStarted', { kind: 'immigration' }, at),
    (at: string) => entry('legal', 'DetentionEnded', {}, at),
    (at: string) =>
      entry('identification', 'ConsentRecorded', { consentId: 'c1', scope: 'services' }, at),
    (at: string) =>
      entry('identification', 'ConsentWithdrawn', { consentId: 'c1', scope: 'services' }, at),
    (at: string) =>
      entry('reintegration', 'ReintegrationPlanCreated', { firstReviewDue: '2026-09-01' }, at),
    (at: string) =>
      entry('reintegration', 'ReintegrationReviewCompleted', { nextReviewDue: '2026-12-01' }, at),
    (at: string) => entry('reintegration', 'JourneyClosed', { reason: 'reintegrated' }, at),
  ];
  const history = fc.array(
    fc.tuple(fc.integer({ min: 0, max: plainEvents.length - 1 }), fc.integer({ min: 0, max: 5 })),
    { maxLength: 25 },
  );
  const build = (picks: [number, number][]) =>
    picks.map(([kind, day]) =>
      (plainEvents[kind] ?? plainEvents[0])!(`2026-02-0${String(day + 1)}T00:00:00.000Z`),
    );

  it('never depends on the order events were recorded in', () => {
    fc.assert(
      fc.property(history, fc.func(fc.integer()), (picks, key) => {
        const events = [opened(), ...build(picks)];
        const shuffled = [...events].sort((a, b) => key(a.eventId) - key(b.eventId));
        expect(summarise(JOURNEY, shuffled)).toEqual(summarise(JOURNEY, events));
      }),
    );
  });

  it('folded event by event, where it may be, equals the summary from the whole history', () => {
    fc.assert(
      fc.property(history, (picks) => {
        const events = [opened(), ...build(picks)];
        let summary = emptySummary(JOURNEY);
        const seen: TimelineEntry[] = [];
        for (const event of events) {
          seen.push(event);
          summary = foldsIncrementally(summary, event)
            ? evolveSummary(summary, event)
            : summarise(JOURNEY, seen);
        }
        expect(summary).toEqual(summarise(JOURNEY, events));
      }),
    );
  });
});
