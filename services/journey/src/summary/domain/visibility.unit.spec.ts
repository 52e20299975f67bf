import { describe, expect, it } from 'vitest';
import { summarise } from './summarise.js';
import type { TimelineEntry } from './timeline-entry.js';
import { seesJourney } from './visibility.js';

const JOURNEY = '0193c000-0000-7000-8000-0000000000ab';
const OPENER = '0193c000-0000-7000-8000-000000000011';
const SHELTER = '0193c000-0000-7000-8000-000000000012';
const CONSENT = '0193c000-0000-7000-8000-000000000013';
const REFERRAL = '0193c000-0000-7000-8000-000000000014';
let sequence = 0;

function entry(type: string, data: Record<string, unknown>, occurredAt: string): TimelineEntry {
  sequence += 1;
  return {
    eventId: `0193c000-0000-7000-8000-${String(100 + sequence).padStart(12, '0')}`,
    journeyId: JOURNEY,
    stream: `identification-${JOURNEY}`,
    service: 'identification',
    revision: sequence,
    type,
    schemaVersion: 1,
    data,
    occurredAt,
    recordedAt: occurredAt,
    actor: { userId: 'u', role: 'caseworker', orgId: OPENER },
    legalBasis: null,
    position: String(sequence).padStart(20, '0'),
  };
}

/** A journey referred to the shelter on a sharing consent valid until `validUntil`. */
const referred = (validUntil?: string) =>
  summarise(JOURNEY, [
    entry(
      'JourneyOpened',
      { journeyId: JOURNEY, personId: OPENER, jurisdiction: 'NL', openedByOrgId: OPENER },
      '2026-01-01T00:00:00.000Z',
    ),
    entry(
      'ConsentRecorded',
      { consentId: CONSENT, scope: 'sharing', ...(validUntil === undefined ? {} : { validUntil }) },
      '2026-01-02T00:00:00.000Z',
    ),
    entry(
      'ReferralMade',
      { referralId: REFERRAL, toOrgId: SHELTER, consentId: CONSENT },
      '2026-01-03T00:00:00.000Z',
    ),
    entry(
      'ReferralAccepted',
      { referralId: REFERRAL, byOrgId: SHELTER },
      '2026-01-04T00:00:00.000Z',
    ),
  ]);

const shelter = { orgId: SHELTER, roles: ['shelter_staff'] };

describe('who sees a journey in the journey service, at a given time', () => {
  it('a referred organisation sees it until its sharing consent expires, then no longer', () => {
    const summary = referred('2026-03-01T00:00:00.000Z');
    expect(seesJourney(summary, shelter, '2026-02-28T23:59:59.999Z')).toBe(true);
    expect(seesJourney(summary, shelter, '2026-03-01T00:00:00.000Z')).toBe(false);
  });

  it('a consent with no end keeps the referral standing; the opener always sees it', () => {
    expect(seesJourney(referred(), shelter, '2099-01-01T00:00:00.000Z')).toBe(true);
    const expired = referred('2026-03-01T00:00:00.000Z');
    expect(
      seesJourney(expired, { orgId: OPENER, roles: ['caseworker'] }, '2027-01-01T00:00:00.000Z'),
    ).toBe(true);
  });
});
