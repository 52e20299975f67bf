import { demoJourney as careDemo } from '@waypoint/care-service';
import { demoJourney as legalDemo } from '@waypoint/legal-service';
import { demoJourney as reintegrationDemo } from '@waypoint/reintegration-service';
import { demoJourney as shelterDemo } from '@waypoint/shelter-service';
import type { FastifyInstance } from 'fastify';
import { v7 } from 'uuid';
import type { DemoClock } from './demo-clock.js';
import { DEMO_ORGANISATIONS } from './demo.js';
import type { SeedClient } from './seed-client.js';

const DAY_HOURS = 24;

const GIVEN = [
  'Amara',
  'Dmytro',
  'Lina',
  'Tesfay',
  'Mariam',
  'Ioana',
  'Kwame',
  'Nadia',
  'Samir',
  'Elif',
  'Thu',
  'Grace',
];
const FAMILY = [
  'Okafor',
  'Kovalenko',
  'Haddad',
  'Gebremedhin',
  'Popescu',
  'Mensah',
  'Rahimi',
  'Yilmaz',
  'Nguyen',
  'Achieng',
];
const CITIZENSHIP = ['NG', 'UA', 'SY', 'ER', 'RO', 'GH', 'AF', 'TR', 'VN', 'KE'];
const LANGUAGES = ['en', 'uk', 'ar', 'ti', 'ro', 'en', 'fa', 'tr', 'vi', 'sw'];

/** Share of people who agree to count, anonymously, in the statistics (most, not all). */
const ANONYMOUS_REPORTING_SHARE = 0.85;

/** A small deterministic generator (mulberry32): the demo is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The former short names the services' demo paths use for the demo users. */
const SERVICE_USERS: Readonly<Record<string, string>> = {
  shelter: 'shelter_staff',
  care: 'care_provider',
  legal: 'legal_advisor',
  reintegration: 'reintegration_officer',
};

export interface DemoJourneyPlan {
  /** The journey's number in the demo (also its random seed). */
  readonly n: number;
  /** When the person was first met. */
  readonly opened: Date;
}

/**
 * When the n-th of `total` demo journeys opened: spread over the nine months before `today`, the
 * oldest first, so that journeys have had months to unfold (and the newest only weeks).
 */
export function openingOf(n: number, total: number, today: Date): Date {
  const random = seededRandom(7_919 * (n + 1));
  const daysAgo = 21 + (1 - (n + 0.5) / Math.max(1, total)) * 250 + random() * 7;
  return new Date(today.getTime() - Math.round(daysAgo * DAY_HOURS) * 3_600_000);
}

/**
 * One synthetic journey through the public API, as a caseworker would record it over weeks: the
 * person, first contact, indicators, information, the consents people actually give (services
 * always, anonymous reporting mostly), a reasonable-grounds decision after days or weeks, a
 * referral to the shelter organisation on a sharing consent, then one service's own path, and for
 * many a conclusive decision months later. Every fifth journey carries the kind of breach the
 * audit flags (a conclusive decision with no reasonable-grounds decision before it, a referral on
 * a supervisor's override). No real person is involved.
 */
export async function enterDemoJourney(
  app: FastifyInstance,
  api: SeedClient,
  clock: DemoClock,
  plan: DemoJourneyPlan,
): Promise<void> {
  const { n } = plan;
  const random = seededRandom(104_729 * (n + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (low: number, high: number): number => low + random() * (high - low);
  const index = Math.floor(random() * CITIZENSHIP.length);
  const child = n % 7 === 3;
  const breach = n % 5 === 4;
  const shelterOrg = DEMO_ORGANISATIONS[1].orgId;
  const informed = ['purpose', 'use_of_data', 'how_to_withdraw'];
  const givenBy = child ? 'guardian' : 'self';

  clock.set(plan.opened);
  const birthYear = child ? 2009 + Math.floor(random() * 6) : 1970 + Math.floor(random() * 35);
  const { personId } = await api.post(
    '/persons',
    {
      identity: {
        givenName: pick(GIVEN),
        familyName: `${pick(FAMILY)}-${String(n)}`,
        birthDate: `${String(birthYear)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
      },
      gender: pick(['Feminine', 'Feminine', 'Masculine', 'NonSpecifiedUnknown']),
      ageBand: child ? '9-17' : pick(['18-20', '21-23', '24-26', '27-29', '30-38', '39-47']),
      child: child ? 'yes' : 'no',
      citizenship: [CITIZENSHIP[index]],
      languages: [LANGUAGES[index]],
    },
    'caseworker',
  );
  const { journeyId } = await api.post('/journeys', { personId, jurisdiction: 'NL' }, 'caseworker');
  const base = `/journeys/${String(journeyId)}`;
  await api.post(
    `${base}/first-contact`,
    {
      channel: pick(['outreach', 'hotline', 'police', 'labour_inspection']),
      location: 'Synthetic street 1, Harbour district',
    },
    'caseworker',
  );
  clock.advance(between(2, 30));
  await api.post(
    `${base}/indicators`,
    {
      indicators: [
        'WithholdsDocuments',
        pick(['DebtBondage', 'ExcessiveWorkingHours', 'RestrictedMovement']),
      ],
      exploitationTypes: [pick(['ForcedLabour', 'SexualExploitation', 'ForcedCriminality'])],
      observedByOrgId: DEMO_ORGANISATIONS[0].orgId,
    },
    'caseworker',
  );
  if (child) {
    clock.advance(between(4, 24));
    await api.post(
      `${base}/age-uncertainty`,
      { reasonsToBelieveChild: ['appearance', 'own_statement'] },
      'caseworker',
    );
    await api.post(`${base}/unaccompanied`, { separated: false }, 'caseworker');
    clock.advance(between(24, 72));
    await api.post(
      `${base}/guardian`,
      {
        appointedBy: { type: 'CourtOrProsecution', name: 'District Court' },
        guardianName: 'Synthetic Guardian',
      },
      'caseworker',
    );
  }
  clock.advance(between(2, 48));
  await api.post(
    `${base}/information`,
    { topic: 'rights', language: LANGUAGES[index], interpreterUsed: LANGUAGES[index] !== 'en' },
    'caseworker',
  );
  await api.post(
    `${base}/consents`,
    { consentId: v7(), scope: 'services', givenBy, informedOf: informed },
    'caseworker',
  );
  if (random() < ANONYMOUS_REPORTING_SHARE)
    await api.post(
      `${base}/consents`,
      { consentId: v7(), scope: 'anonymous_reporting', givenBy, informedOf: informed },
      'caseworker',
    );
  if (breach) {
    clock.advance(between(1, 5) * DAY_HOURS);
    // Recorded as it happened: a conclusive decision with no reasonable-grounds decision before it.
    await conclusiveDecision(api, base);
    await api.post(
      `${base}/referrals`,
      {
        toOrgId: shelterOrg,
        reason: 'AdditionalServicesRequired',
        services: ['SocialCare'],
        overrideReason: 'Immediate danger at the current address; the person could not be asked',
      },
      'supervisor',
    );
  } else {
    // The decision takes days to weeks: the time-to-decision charts have a spread to show.
    clock.advance(between(2, 45) * DAY_HOURS);
    await api.post(
      `${base}/reasonable-grounds`,
      {
        outcome: 'positive',
        decidingBody: { type: 'NGO', name: 'Harbour Outreach' },
        reasonCodes: ['indicators_present'],
        rationale: 'Synthetic rationale text',
        legalBasis: 'CoE Convention Art. 10(2)',
      },
      'caseworker',
    );
    const consentId = v7();
    clock.advance(between(2, 48));
    await api.post(
      `${base}/consents`,
      {
        consentId,
        scope: 'sharing',
        givenBy,
        informedOf: informed,
        sharingWithOrgIds: [shelterOrg],
      },
      'caseworker',
    );
    await api.post(
      `${base}/referrals`,
      {
        toOrgId: shelterOrg,
        reason: 'AdditionalServicesRequired',
        services: ['SocialCare'],
        consentId,
      },
      'caseworker',
    );
  }
  const identification = (await api.get(`${base}/identification`, 'caseworker')) as {
    referrals?: { referralId: string }[];
  };
  const referralId = identification.referrals?.[0]?.referralId ?? '';
  clock.advance(between(4, 72));
  await api.post(`${base}/referrals/${referralId}/acceptance`, {}, 'shelter_staff');

  const decidedLater = !breach && random() < 0.6;
  const conclusiveAt = new Date(clock.now().getTime() + between(60, 150) * DAY_HOURS * 3_600_000);
  await serviceDemo(app, api, clock, String(journeyId), n);
  if (decidedLater && conclusiveAt.getTime() < Date.now()) {
    clock.set(conclusiveAt);
    await conclusiveDecision(api, base);
  }
}

async function conclusiveDecision(api: SeedClient, base: string): Promise<void> {
  await api.post(
    `${base}/conclusive-grounds`,
    {
      status: 'ActualVictimOfTrafficking',
      decidingBody: { type: 'Police', name: 'Regional police unit' },
      reasonCodes: ['indicators_confirmed'],
      legalBasis: 'national NRM guidance',
    },
    'caseworker',
  );
}

/**
 * Each service records its own path on some journeys, in turn: a lawful one, and now and then one
 * with a breach the audit will flag.
 */
async function serviceDemo(
  app: FastifyInstance,
  api: SeedClient,
  clock: DemoClock,
  journeyId: string,
  n: number,
): Promise<void> {
  const token = (user: string): Promise<string> => api.token(SERVICE_USERS[user] ?? user);
  const breach = n % 8 >= 4;
  const time = { today: clock.advance(DAY_HOURS), moveTo: (at: Date) => clock.set(at) };
  switch (n % 4) {
    case 0:
      return shelterDemo(app, token, journeyId, breach, time);
    case 1:
      return careDemo(app, token, journeyId, breach, time);
    case 2: {
      // The legal facts are dated up to 100 days before the demo's day: it is set that far on.
      const today = clock.set(new Date(time.today.getTime() + 100 * DAY_HOURS * 3_600_000));
      return legalDemo(app, token, journeyId, { breach, today });
    }
    default:
      return reintegrationDemo(app, token, journeyId, breach, time);
  }
}
