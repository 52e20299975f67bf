import type { FastifyInstance } from 'fastify';

export type DemoUser = 'caseworker' | 'supervisor' | 'shelter' | 'care' | 'legal' | 'reintegration';

/** The demo shelters, run by Harbour Outreach; registered once, found by name afterwards. */
const DEMO_SHELTERS = [
  {
    name: 'Harbour Emergency Shelter',
    type: 'emergency',
    capacity: 200,
    childOnly: false,
    adultsOnly: false,
    secure: false,
    country: 'NL',
    address: { line1: 'Synthetic quay 12', postalCode: '1000 AA', city: 'Harbourtown' },
  },
  {
    name: 'Harbour Long-Stay House',
    type: 'long_stay',
    capacity: 200,
    childOnly: false,
    adultsOnly: false,
    secure: true,
    country: 'NL',
    address: { line1: 'Synthetic lane 3', postalCode: '1000 AB', city: 'Harbourtown' },
  },
] as const;

type Call = (
  method: 'GET' | 'POST',
  url: string,
  user: DemoUser,
  body?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

function caller(app: FastifyInstance, token: (user: DemoUser) => Promise<string>): Call {
  return async (method, url, user, body) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await token(user)}` },
      ...(body === undefined ? {} : { payload: body }),
    });
    if (response.statusCode >= 300)
      throw new Error(`shelter demo: ${method} ${url} answered ${String(response.statusCode)}`);
    return response.json<Record<string, unknown>>();
  };
}

const registered = new WeakMap<object, Promise<[string, string]>>();

async function demoShelterIds(call: Call): Promise<[string, string]> {
  const listed = (await call('GET', '/shelters', 'supervisor')) as {
    shelters: { shelterId: string; name: string }[];
  };
  const ids = [];
  for (const shelter of DEMO_SHELTERS) {
    const found = listed.shelters.find((candidate) => candidate.name === shelter.name);
    ids.push(
      found?.shelterId ??
        String((await call('POST', '/shelters', 'supervisor', { ...shelter })).shelterId),
    );
  }
  return [ids[0] ?? '', ids[1] ?? ''];
}

/**
 * Registers the demo shelters unless they are (found by name), once per app: the demo has
 * shelters to show even before any journey is placed. Their ids: emergency, long-stay.
 */
export function ensureDemoShelters(
  app: FastifyInstance,
  token: (user: DemoUser) => Promise<string>,
): Promise<[string, string]> {
  const known = registered.get(app);
  if (known) return known;
  const ids = demoShelterIds(caller(app, token));
  registered.set(app, ids);
  ids.catch(() => registered.delete(app));
  return ids;
}

/** When the demo happens: its first day, and how to move the clock of the app that records it. */
export interface DemoTime {
  readonly today?: Date;
  readonly moveTo?: (at: Date) => void;
}

const DAY_MS = 86_400_000;

/**
 * Synthetic shelter history for a demo journey, through the HTTP API. Lawful: admitted on the
 * services consent, a safety risk assessment, a transfer to a long-stay house, an exit to
 * independent housing. With `breach`: admitted with freedom of movement restricted (the audit
 * flags it for review), no safety risk assessment, and ended for non-cooperation on a
 * supervisor's override (a breach of CoE 12(6)). With `time`, the steps are spread from
 * `time.today` (risk assessment 2 days on, transfer after 25, exit after 120) and those that would
 * fall after the real today are left out: the person still lives there.
 */
export async function demoJourney(
  app: FastifyInstance,
  token: (user: DemoUser) => Promise<string>,
  journeyId: string,
  breach = false,
  time: DemoTime = {},
): Promise<void> {
  const call = caller(app, token);
  const [emergency, longStay] = await ensureDemoShelters(app, token);
  const start = (time.today ?? new Date()).getTime();
  // With a day given, steps that would fall after today are left for the future (the person is
  // still there); without one, the whole path is recorded now.
  const onDay = (days: number): boolean => {
    if (time.today === undefined) return true;
    const at = start + days * DAY_MS;
    if (at > Date.now()) return false;
    time.moveTo?.(new Date(at));
    return true;
  };
  const dayText = (days: number): string =>
    new Date(start + days * DAY_MS).toISOString().slice(0, 10);
  const base = `/journeys/${journeyId}/shelter`;
  if (breach) {
    await call('POST', `${base}/admissions`, 'caseworker', {
      shelterId: emergency,
      freedomOfMovementRestricted: true,
      restriction: {
        justificationCode: 'threat_from_traffickers',
        justification: 'Synthetic: exploiters seen near the previous address',
        reviewDate: dayText(14),
      },
    });
    if (!onDay(20)) return;
    await call('POST', `${base}/exits`, 'supervisor', {
      reason: 'non_cooperation',
      overrideReason: 'Synthetic: declined to give a statement to the police',
    });
    return;
  }
  await call('POST', `${base}/admissions`, 'caseworker', { shelterId: emergency });
  if (!onDay(2)) return;
  await call('POST', `${base}/risk-assessments`, 'caseworker', {
    level: 'medium',
    risks: ['contact_with_exploiters'],
    notes: 'Synthetic: former employer has the phone number',
  });
  if (!onDay(25)) return;
  await call('POST', `${base}/transfers`, 'caseworker', {
    shelterId: longStay,
    reason: 'specialised_care',
  });
  if (!onDay(120)) return;
  await call('POST', `${base}/exits`, 'caseworker', { reason: 'moved_to_independent_housing' });
}
