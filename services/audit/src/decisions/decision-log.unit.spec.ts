import { describe, expect, it } from 'vitest';
import { auditJourney } from '../rules/evaluate.js';
import { compliantAdultJourney, NL_PROFILE } from '../testing/journeys.js';
import { decisionLog } from './decision-log.js';

describe('the decision log', () => {
  const { journey, ids, now } = compliantAdultJourney();
  const removal = journey.legal({
    type: 'RemovalEnforced',
    data: {
      actingBody: { type: 'ImmigrationAuthority', name: 'Immigration service' },
      occurredOn: '2025-03-20',
      kind: 'expulsion',
    },
  });
  const findings =
    auditJourney({
      journeyId: journey.journeyId,
      recorded: journey.recorded,
      profiles: [NL_PROFILE],
      asOf: now,
    })?.findings ?? [];
  const log = decisionLog({ recorded: journey.recorded, timeZone: NL_PROFILE.timeZone, findings });

  it('lists decisions of outside bodies with the body, legal basis and reason codes', () => {
    const grounds = log.find((entry) => entry.eventId === ids.grounds);
    expect(grounds).toMatchObject({
      type: 'ReasonableGroundsDecided',
      origin: 'fact',
      decidingBody: { type: 'Police', name: 'Police unit' },
      legalBasis: 'Aliens Act B8/3',
      reasonCodes: ['indicators_present', 'outcome:positive'],
      actor: { role: 'caseworker' },
    });
  });

  it('lists decisions taken through Waypoint, such as referrals', () => {
    expect(log.find((entry) => entry.eventId === ids.referral)).toMatchObject({
      type: 'ReferralMade',
      origin: 'decision',
    });
  });

  it('gives the journey as known at the decision, and the findings that cite it', () => {
    const entry = log.find((candidate) => candidate.eventId === removal);
    expect(entry?.knownState).toMatchObject({
      reasonableGrounds: 'positive',
      conclusive: 'none',
      inReflectionPeriod: true,
      servicesConsentValid: true,
    });
    // The expulsion is judged as a return too (RT-01, RT-05, RT-06).
    expect(entry?.findings.map((finding) => finding.ruleId)).toEqual([
      'ID-03',
      'RR-02',
      'RT-01',
      'RT-05',
      'RT-06',
      'RT-06',
    ]);
  });

  it('keeps rationale sealed, with the id of the event that sealed it (an amendment, once amended)', () => {
    const amended = compliantAdultJourney();
    const field = (path: string) => ({
      $enc: 'aes-256-gcm/v1' as const,
      subject: amended.journey.personId,
      category: 'notes' as const,
      path,
      iv: 'AAAAAAAAAAAAAAAA',
      ct: 'AA',
      tag: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    const decided = {
      status: 'NotAVictimOfTrafficking' as const,
      decidingBody: { type: 'Police', name: 'Police unit' },
      reasonCodes: ['insufficient'],
      legalBasis: 'B8/3',
    };
    const decision = amended.journey.identification('2025-04-21T09:00:00Z', {
      type: 'ConclusiveGroundsDecided',
      data: { ...decided, rationale: field('data.rationale') },
    });
    const amendment = amended.journey.identification('2025-04-22T09:00:00Z', {
      type: 'EventAmended',
      data: {
        amendedEventId: decision,
        reasonCode: 'data-entry-error',
        replacement: {
          ...decided,
          reasonCodes: ['credibility'],
          rationale: field('data.replacement.rationale'),
        },
      },
    });
    const entry = decisionLog({
      recorded: amended.journey.recorded,
      timeZone: NL_PROFILE.timeZone,
      findings: [],
    }).find((candidate) => candidate.eventId === decision);
    expect(entry?.reasonCodes).toEqual(['credibility', 'status:NotAVictimOfTrafficking']);
    expect(entry?.rationale).toEqual([
      { $sealed: true, eventId: amendment, field: field('data.replacement.rationale') },
    ]);
  });
});
