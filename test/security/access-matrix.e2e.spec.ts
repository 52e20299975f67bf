import { ROLES, type Role } from '@waypoint/contracts';
import { routeAccess, type RouteAccessEntry } from '@waypoint/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoJourneyIds, subjectOf, type Subject } from './support/demo-journey.js';
import { validBodies, type OpenApiDocument } from './support/valid-body.js';
import {
  freshId,
  ORGS,
  startWorld,
  type CallResponse,
  type World,
  SETUP_TIMEOUT,
} from './support/world.js';

/**
 * The access matrix, generated from the routes the full app declares: every route, every role,
 * and three callers' organisations for a real demo journey (the one that opened it, one that
 * accepted a referral, one with no link to it). A role a route does not declare is refused with
 * 403; a journey, person or organisation the caller does not see answers exactly as one that does
 * not exist (404 on reads), never 2xx; the callers who see it get through.
 */
let world: World;
let subject: Subject;
/** Another demo journey: where the matrix opens a break-glass, so the subject stays closed. */
let bystander: Subject;
const RELATIONS = ['own', 'referred', 'unrelated'] as const;
type Relation = (typeof RELATIONS)[number];
// Unrelated: a registered organisation with no link to the journey (a token naming an
// organisation outside the directory is refused before any route).
const orgOf: Record<Relation, string> = { own: '', referred: '', unrelated: ORGS.inspectorate };
/** A body each route's own schema accepts, so that its access check is what answers. */
let bodyOf: (method: string, url: string) => unknown;

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 4 });
  const subjects = await Promise.all(
    (await demoJourneyIds(world)).map((journeyId) => subjectOf(world, journeyId)),
  );
  // A journey referred to exactly one organisation, so "unrelated" is unambiguous.
  const chosen = subjects.find((candidate) => candidate.referredOrgIds.length === 1);
  if (!chosen) throw new Error('no demo journey with exactly one accepted referral');
  subject = chosen;
  const other = subjects.find((candidate) => candidate.journeyId !== chosen.journeyId);
  if (!other) throw new Error('the matrix needs a second demo journey');
  bystander = other;
  orgOf.own = subject.openedByOrgId;
  orgOf.referred = subject.referredOrgIds[0] ?? '';
  const openapi = await world.call({ method: 'GET', url: '/openapi.json' });
  bodyOf = validBodies(openapi.json as OpenApiDocument);
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

/** What a route is about, by the parameter that names it. */
type Scope = 'journey' | 'person' | 'organisation' | 'none';
const scopeOf = (url: string): Scope =>
  url.includes(':journeyId')
    ? 'journey'
    : url.includes(':personId')
      ? 'person'
      : url.includes(':orgId')
        ? 'organisation'
        : 'none';

/**
 * Who sees the subject, written from the access rules (not from the code under test): the
 * journey's organisations and the data-protection officer see the journey; the person is seen by
 * the organisation that registered them and the DPO; an organisation is audited by its own
 * supervisor (no auditor mandate exists in the demo).
 */
function sees(scope: Scope, role: Role, relation: Relation): boolean {
  switch (scope) {
    case 'journey':
      return relation !== 'unrelated' || role === 'data_protection_officer';
    case 'person':
      return relation === 'own' || role === 'data_protection_officer';
    case 'organisation':
      return relation === 'own' && role === 'supervisor';
    case 'none':
      return true;
  }
}

/**
 * Routes that open a journey to a caller who does not see it: any declared role may record a
 * break-glass (reason, expiry, reviewed by supervisors and the DPO). The matrix sends them for the
 * bystander journey, never the subject, and checks that they open it.
 */
const OPENS_ACCESS: ReadonlySet<string> = new Set(['POST /journeys/:journeyId/break-glass']);
const opensAccess = (route: RouteAccessEntry): boolean =>
  OPENS_ACCESS.has(`${route.method} ${route.url}`);

/** Query parameters a route needs to get past validation to its access check. */
const REQUIRED_QUERY: Readonly<Record<string, string>> = {
  '/journeys/:journeyId/as-of': 'at=2099-01-01',
};

interface Target {
  readonly route: RouteAccessEntry;
  readonly scope: Scope;
  /** Parameters other than the subject: the answer may be about them (an unknown referral). */
  readonly hasOtherParams: boolean;
  url(subjectId?: string): string;
}

function targetOf(route: RouteAccessEntry, others: Readonly<Record<string, string>>): Target {
  const scope = scopeOf(route.url);
  const params = [...route.url.matchAll(/:([a-zA-Z]+)/g)].map((match) => match[1] ?? '');
  const query = REQUIRED_QUERY[route.url];
  return {
    route,
    scope,
    hasOtherParams: params.some((name) => !['journeyId', 'personId', 'orgId'].includes(name)),
    url(subjectId) {
      const path = route.url.replace(/:([a-zA-Z]+)/g, (_match, name: string) => {
        if (name === 'journeyId') return subjectId ?? subject.journeyId;
        if (name === 'personId') return subjectId ?? subject.personId;
        if (name === 'orgId') return subjectId ?? orgOf.own;
        return others[name] ?? freshId();
      });
      return query === undefined ? path : `${path}?${query}`;
    },
  };
}

function targets(): Target[] {
  const others: Record<string, string> = {};
  return routeAccess(world.embedded.app)
    .filter((route) => route.method !== 'HEAD' && !('public' in route.access))
    .map((route) => {
      for (const [, name = ''] of route.url.matchAll(/:([a-zA-Z]+)/g)) others[name] ??= freshId();
      return targetOf(route, others);
    });
}

const tokens = new Map<string, string>();
async function tokenOf(role: Role, relation: Relation): Promise<string> {
  const key = `${role}/${relation}`;
  const known = tokens.get(key);
  if (known !== undefined) return known;
  const token = await world.tokenFor({
    sub: `matrix-${role}-${relation}`,
    // The DPO role counts only in the DPO organisations (the demo's: outreach); it sees every
    // journey, so its relation to the subject does not change what it sees.
    org: role === 'data_protection_officer' ? ORGS.outreach : orgOf[relation],
    roles: [role],
  });
  tokens.set(key, token);
  return token;
}

async function send(target: Target, token: string | undefined, subjectId?: string) {
  const method = target.route.method as 'GET' | 'POST';
  const id = subjectId ?? (opensAccess(target.route) ? bystander.journeyId : undefined);
  return world.call({
    method,
    url: target.url(id),
    ...(token === undefined ? {} : { token }),
    ...(method === 'POST' ? { body: bodyOf(method, target.route.url) ?? {} } : {}),
  });
}

/** The parts of an answer that would tell one subject from another. */
const shape = (response: CallResponse) => {
  const problem = (response.json ?? {}) as { code?: string; detail?: string; field?: string };
  return {
    status: response.status,
    code: problem.code,
    detail: problem.detail,
    field: problem.field,
  };
};

describe('the access matrix of the full app', () => {
  it('covers every service', () => {
    const all = targets();
    expect(all.length).toBeGreaterThanOrEqual(100);
    const prefixes = new Set(all.map((target) => target.route.url));
    for (const probe of [
      '/journeys/:journeyId/identification',
      '/journeys/:journeyId/shelter',
      '/journeys/:journeyId/care/plans',
      '/journeys/:journeyId/legal',
      '/journeys/:journeyId/reintegration',
      '/journeys/:journeyId/timeline',
      '/analytics/indicators',
      '/audit/journeys/:journeyId/findings',
    ])
      expect(prefixes).toContain(probe);
  });

  it('refuses every route without a token (401) and to every role it does not declare (403)', async () => {
    const failures: string[] = [];
    for (const target of targets()) {
      if ('public' in target.route.access) continue;
      const anonymous = await send(target, undefined);
      if (anonymous.status !== 401)
        failures.push(
          `anonymous ${target.route.method} ${target.route.url}: ${String(anonymous.status)}`,
        );
      const declared = new Set<Role>(target.route.access.roles);
      for (const role of ROLES.filter((candidate) => !declared.has(candidate))) {
        for (const relation of RELATIONS) {
          const refused = await send(target, await tokenOf(role, relation));
          const { status, code } = shape(refused);
          if (status !== 403 || code !== 'FORBIDDEN')
            failures.push(
              `${role}/${relation} ${target.route.method} ${target.route.url}: ${String(status)} ${String(code)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers a declared role that does not see the subject exactly as if it did not exist', async () => {
    const failures: string[] = [];
    let checked = 0;
    let commands = 0;
    for (const target of targets()) {
      if (target.scope === 'none' || 'public' in target.route.access) continue;
      if (opensAccess(target.route)) continue;
      for (const role of target.route.access.roles) {
        for (const relation of RELATIONS) {
          if (sees(target.scope, role, relation)) continue;
          checked += 1;
          if (target.route.method === 'POST') commands += 1;
          const token = await tokenOf(role, relation);
          const real = await send(target, token);
          const absent = await send(target, token, freshId());
          const where = `${role}/${relation} ${target.route.method} ${target.route.url}`;
          if (real.status < 300)
            failures.push(`${where}: ${String(real.status)} ${real.text.slice(0, 200)}`);
          else if (target.route.method === 'GET' && real.status !== 404)
            failures.push(`${where}: ${String(real.status)}, not 404`);
          // A command's body is valid, so a refusal here is about the subject, not the input.
          else if (real.status !== 404 && real.status !== 403)
            failures.push(`${where}: ${String(real.status)} ${real.text.slice(0, 200)}`);
          else if (JSON.stringify(shape(real)) !== JSON.stringify(shape(absent)))
            failures.push(
              `${where}: ${JSON.stringify(shape(real))} but ${JSON.stringify(shape(absent))} for a journey that does not exist`,
            );
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    // Every command among them got past its body's validation to the journey check.
    expect(commands).toBeGreaterThan(60);
    expect(failures).toEqual([]);
  });

  it('lets every declared role that sees the subject through to the route itself', async () => {
    const failures: string[] = [];
    for (const target of targets()) {
      if ('public' in target.route.access) continue;
      for (const role of target.route.access.roles) {
        for (const relation of RELATIONS) {
          if (!sees(target.scope, role, relation)) continue;
          const answer = await send(target, await tokenOf(role, relation));
          const where = `${role}/${relation} ${target.route.method} ${target.route.url}`;
          const { status, code } = shape(answer);
          // The access check refuses with FORBIDDEN; a route's own rule (another code) is past it.
          if (status >= 500 || status === 401 || (status === 403 && code === 'FORBIDDEN'))
            failures.push(`${where}: ${String(status)} ${String(code)}`);
          // A read of the subject itself, with nothing else in its path, is served.
          else if (
            target.route.method === 'GET' &&
            target.scope !== 'none' &&
            !target.hasOtherParams &&
            status !== 200
          )
            failures.push(
              `${where}: ${String(status)} ${String(code)} ${answer.text.slice(0, 200)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('opens a journey by break-glass to a declared role that does not see it, for review', async () => {
    const token = await tokenOf('legal_advisor', 'unrelated');
    const read = () =>
      world.call({ method: 'GET', url: `/journeys/${bystander.journeyId}/identification`, token });
    expect((await read()).status).toBe(404);
    const route = targets().find((target) => opensAccess(target.route));
    if (route === undefined) throw new Error('no break-glass route');
    expect((await send(route, token)).status).toBe(201);
    expect((await read()).status).toBe(200);
    const review = await world.call({
      method: 'GET',
      url: '/break-glass',
      token: await tokenOf('data_protection_officer', 'own'),
    });
    expect(review.text).toContain('matrix-legal_advisor-unrelated');
  });

  it("lets a command through for the journey's organisations and answers others as for no journey", async () => {
    const information = { topic: 'rights', language: 'en', interpreterUsed: false };
    const post = async (relation: Relation, journeyId: string) =>
      world.call({
        method: 'POST',
        url: `/journeys/${journeyId}/information`,
        token: await tokenOf('caseworker', relation),
        body: information,
      });
    const stream = `identification-${subject.journeyId}`;
    const before = await world.embedded.store.streamRevision(stream);
    const outsider = await post('unrelated', subject.journeyId);
    const nowhere = await post('unrelated', freshId());
    expect(shape(outsider)).toEqual({ ...shape(nowhere), status: 404 });
    expect(await world.embedded.store.streamRevision(stream)).toBe(before);
    expect((await post('own', subject.journeyId)).status).toBe(201);
    expect((await post('referred', subject.journeyId)).status).toBe(201);
  });

  it('lists nothing of the journey to an unrelated organisation', async () => {
    const outsider = await tokenOf('caseworker', 'unrelated');
    const listed = await world.call({
      method: 'GET',
      url: `/journeys?limit=200&organisation=${orgOf.own}`,
      token: outsider,
    });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(subject.journeyId);
    const insider = await world.call({
      method: 'GET',
      url: `/journeys?limit=200&organisation=${orgOf.own}`,
      token: await tokenOf('caseworker', 'own'),
    });
    expect(insider.text).toContain(subject.journeyId);
    const supervisor = await tokenOf('supervisor', 'unrelated');
    for (const url of [
      `/audit/access-log?journeyId=${subject.journeyId}`,
      '/audit/access-log',
      '/audit/findings',
      `/audit/findings?orgId=${orgOf.own}`,
      '/audit/alerts',
      '/break-glass',
    ]) {
      const answer = await world.call({ method: 'GET', url, token: supervisor });
      expect(answer.status, `${url}: ${answer.text}`).toBeLessThan(500);
      expect(answer.text, url).not.toContain(subject.journeyId);
      expect(answer.text, url).not.toContain(subject.personId);
    }
  });

  it('leaks no internals in any refusal of the matrix', () => {
    expect(world.errors.count).toBeGreaterThan(1_000);
    expect(world.errors.leaks()).toEqual([]);
  });
});
