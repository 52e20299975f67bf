import type { EventStore } from '@waypoint/eventstore';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { v7 } from 'uuid';
import { DEMO_ORGANISATIONS } from './demo.js';
import { demoJourney as careDemo } from '@waypoint/care-service';
import { demoJourney as legalDemo } from '@waypoint/legal-service';
import { demoJourney as reintegrationDemo } from '@waypoint/reintegration-service';
import { demoJourney as shelterDemo } from '@waypoint/shelter-service';
import { demoToken } from './tokens.js';

type ServiceDemo = (
  app: FastifyInstance,
  token: (
    user: 'caseworker' | 'supervisor' | 'shelter' | 'care' | 'legal' | 'reintegration',
  ) => Promise<string>,
  journeyId: string,
  breach: boolean,
) => Promise<void>;

/** The services' demo paths, taken in turn by the demo journeys. */
const SERVICE_DEMOS: readonly ServiceDemo[] = [
  shelterDemo,
  careDemo,
  (app, token, journeyId, breach) => legalDemo(app, token, journeyId, { breach }),
  reintegrationDemo,
];

/**
 * Synthetic demo data through the public API, as a client would enter it: the demo organisations,
 * then journeys of invented persons. Some journeys are lawful throughout; some carry the kind of
 * breach the audit flags (a conclusive decision with no reasonable-grounds decision before it, a
 * referral on a supervisor's override). No real person is involved.
 */
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

/** A small deterministic generator, so the demo is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Client {
  post(url: string, body: unknown, user: string): Promise<Record<string, unknown>>;
}

function client(app: FastifyInstance, privateJwk: JWK): Client {
  const tokens = new Map<string, string>();
  return {
    async post(url, body, user) {
      const token = tokens.get(user) ?? (await demoToken(privateJwk, user));
      tokens.set(user, token);
      const response = await app.inject({
        method: 'POST',
        url,
        payload: body as Record<string, unknown>,
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.statusCode >= 300)
        throw new Error(
          `seed: POST ${url} answered ${String(response.statusCode)}: ${response.body}`,
        );
      return response.json<Record<string, unknown>>();
    },
  };
}

async function count(store: EventStore, category: string, type: string): Promise<number> {
  let n = 0;
  for await (const event of store.readAll({
    filter: { categories: [category], eventTypes: [type] },
  }))
    if (event.type === type) n += 1;
  return n;
}

export async function seedDemo(
  app: FastifyInstance,
  store: EventStore,
  privateJwk: JWK,
  journeys: number,
): Promise<{ organisations: number; journeys: number }> {
  const api = client(app, privateJwk);
  let organisations = 0;
  // The directory assigns ids, so the demo organisations are registered in their own streams.
  for (const organisation of DEMO_ORGANISATIONS) {
    if ((await store.streamRevision(`organisation-${organisation.orgId}`)) !== null) continue;
    const { orgId, ...data } = organisation;
    await store.append(`organisation-${orgId}`, [
      {
        id: v7(),
        type: 'OrganisationRegistered',
        schemaVersion: 1,
        data: { orgId, ...data, services: [...data.services] },
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'seed', role: 'admin', orgId },
          correlationId: 'seed',
          causationId: 'seed',
        },
      },
    ]);
    organisations += 1;
  }
  const existing = await count(store, 'identification', 'JourneyOpened');
  const next = random(existing + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const shelter = DEMO_ORGANISATIONS[1].orgId;
  let created = 0;
  for (let n = existing; n < journeys; n += 1) {
    const index = Math.floor(next() * CITIZENSHIP.length);
    const child = n % 7 === 3;
    const { personId } = await api.post(
      '/persons',
      {
        identity: {
          givenName: pick(GIVEN),
          familyName: `${pick(FAMILY)}-${String(n)}`,
          birthDate: child ? '2010-04-02' : '1994-09-17',
        },
        gender: pick(['Feminine', 'Masculine', 'NonSpecifiedUnknown']),
        ageBand: child ? '9-17' : pick(['21-23', '24-26', '27-29', '30-38']),
        child: child ? 'yes' : 'no',
        citizenship: [CITIZENSHIP[index]],
        languages: [LANGUAGES[index]],
      },
      'caseworker',
    );
    const { journeyId } = await api.post(
      '/journeys',
      { personId, jurisdiction: 'NL' },
      'caseworker',
    );
    const base = `/journeys/${String(journeyId)}`;
    await api.post(
      `${base}/first-contact`,
      {
        channel: pick(['outreach', 'hotline', 'police', 'labour_inspection']),
        location: 'Synthetic street 1, Harbour district',
      },
      'caseworker',
    );
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
      await api.post(
        `${base}/age-uncertainty`,
        { reasonsToBelieveChild: ['appearance', 'own_statement'] },
        'caseworker',
      );
      await api.post(`${base}/unaccompanied`, { separated: false }, 'caseworker');
      await api.post(
        `${base}/guardian`,
        {
          appointedBy: { type: 'CourtOrProsecution', name: 'District Court' },
          guardianName: 'Synthetic Guardian',
        },
        'caseworker',
      );
    }
    await api.post(
      `${base}/information`,
      { topic: 'rights', language: LANGUAGES[index], interpreterUsed: LANGUAGES[index] !== 'en' },
      'caseworker',
    );
    const consentId = v7();
    const services = v7();
    await api.post(
      `${base}/consents`,
      {
        consentId: services,
        scope: 'services',
        givenBy: child ? 'guardian' : 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
      },
      'caseworker',
    );
    const breach = n % 5 === 4;
    if (breach) {
      // Recorded as it happened: a conclusive decision with no reasonable-grounds decision before it.
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
      await api.post(
        `${base}/referrals`,
        {
          toOrgId: shelter,
          reason: 'AdditionalServicesRequired',
          services: ['SocialCare'],
          overrideReason: 'Immediate danger at the current address; the person could not be asked',
        },
        'supervisor',
      );
    } else {
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
      await api.post(
        `${base}/consents`,
        {
          consentId,
          scope: 'sharing',
          givenBy: child ? 'guardian' : 'self',
          informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
          sharingWithOrgIds: [shelter],
        },
        'caseworker',
      );
      await api.post(
        `${base}/referrals`,
        {
          toOrgId: shelter,
          reason: 'AdditionalServicesRequired',
          services: ['SocialCare'],
          consentId,
        },
        'caseworker',
      );
    }
    const referrals = await app.inject({
      method: 'GET',
      url: `${base}/identification`,
      headers: { authorization: `Bearer ${await demoToken(privateJwk, 'caseworker')}` },
    });
    const referralId = (
      referrals.json<{ referrals: { referralId: string }[] }>().referrals[0] ?? { referralId: '' }
    ).referralId;
    await api.post(`${base}/referrals/${referralId}/acceptance`, {}, 'shelter');
    // Each service records its own path on some journeys: a lawful one, and now and then one with
    // a breach the audit will flag.
    const token = (user: string): Promise<string> => demoToken(privateJwk, user);
    const serviceDemo = SERVICE_DEMOS[n % SERVICE_DEMOS.length];
    if (serviceDemo)
      await serviceDemo(
        app,
        token,
        String(journeyId),
        n % (2 * SERVICE_DEMOS.length) < SERVICE_DEMOS.length ? false : true,
      );
    created += 1;
  }
  return { organisations, journeys: created };
}
