import { readableCategories, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { routeAccess, type RouteAccessEntry } from '@waypoint/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoJourneyIds, subjectOf, type Subject } from './support/demo-journey.js';
import { expectNoLeaks } from './support/expectations.js';
import { sealedFields } from './support/personal-values.js';
import { ORGS, SETUP_TIMEOUT, startWorld, type World } from './support/world.js';

/**
 * Every read of personal data is itself recorded, in the reading service's own `access-*` stream,
 * before the answer leaves; and when the record cannot be written, the read fails and answers
 * nothing of the person.
 */
let world: World;
let subjects: Subject[];

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 4 });
  subjects = await Promise.all(
    (await demoJourneyIds(world)).map((journeyId) => subjectOf(world, journeyId)),
  );
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

interface PersonalDataRead {
  subjectKind: string;
  subjectId: string;
  userId: string;
  orgId: string;
  roles: string[];
  categories: string[];
  route: string;
  breakGlass: boolean;
}

/**
 * The reads of a journey or a person: every GET whose path names one, outside the audit's own
 * rule evaluations (codes and dates, no personal value; checked below).
 */
const personalReads = (): RouteAccessEntry[] =>
  routeAccess(world.embedded.app).filter(
    (route) =>
      route.method === 'GET' &&
      !('public' in route.access) &&
      (route.url.includes(':journeyId') || route.url.includes(':personId')),
  );

/** A reader who may call the route and reads every category it holds: supervisor or caseworker first. */
function readerOf(route: RouteAccessEntry): Role {
  if ('public' in route.access) throw new Error('public route');
  const roles = route.access.roles;
  return (
    (['supervisor', 'caseworker', 'data_protection_officer'] as const).find((role) =>
      roles.includes(role),
    ) ??
    roles[0] ??
    'caseworker'
  );
}

const urlOf = (route: RouteAccessEntry, subject: Subject): string =>
  route.url.replace(':journeyId', subject.journeyId).replace(':personId', subject.personId) +
  (route.url.endsWith('/as-of') ? '?at=2099-01-01' : '');

let readers = 0;
async function readAs(route: RouteAccessEntry, subject: Subject) {
  readers += 1;
  const sub = `reader-${String(readers)}`;
  const role = readerOf(route);
  const token = await world.tokenFor({ sub, org: ORGS.outreach, roles: [role] });
  const response = await world.call({ method: 'GET', url: urlOf(route, subject), token });
  const records = (await world.eventsIn('access-')).filter(
    (event) =>
      event.type === 'PersonalDataRead' &&
      (event.data as unknown as PersonalDataRead).userId === sub,
  );
  return { response, records, role, sub };
}

/** Strings a personal field decrypts to would show as these: the seed's synthetic values. */
function personalValuesShown(body: string): boolean {
  return /Synthetic|"givenName"|"familyName"|"guardianName"|"lawyerName"|"clinicalDetails"/.test(
    body,
  );
}

describe('access records', () => {
  it('are left by every read of a journey or a person that reveals personal data, naming the user and the categories', async () => {
    const failures: string[] = [];
    const revealing = new Set<string>();
    const routes = personalReads();
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      for (const subject of subjects) {
        const { response, records, role, sub } = await readAs(route, subject);
        if (response.status !== 200) {
          failures.push(`${route.url}: ${String(response.status)}`);
          continue;
        }
        const reveals = personalValuesShown(response.text);
        if (reveals) revealing.add(route.url);
        const audit = route.url.startsWith('/audit/');
        if (records.length === 0) {
          // The audit's rule evaluations carry codes and dates only: no record is owed for them.
          if (reveals || !audit) failures.push(`${route.url} as ${role}: no access record`);
          continue;
        }
        const [record] = records;
        const data = record?.data as unknown as PersonalDataRead;
        const subjectId = route.url.includes(':personId') ? subject.personId : subject.journeyId;
        expect(record?.stream.startsWith('access-')).toBe(true);
        expect(data).toMatchObject({
          userId: sub,
          orgId: ORGS.outreach,
          roles: [role],
          subjectId,
          breakGlass: false,
        });
        expect(data.route).toMatch(new RegExp(route.url.replaceAll(/[/:]/g, (c) => `\\${c}`)));
        const allowed = readableCategories([role]);
        if (data.categories.some((category) => !allowed.has(category as never)))
          failures.push(
            `${route.url}: records categories ${data.categories.join()} beyond ${role}`,
          );
        if (reveals && data.categories.length === 0)
          failures.push(`${route.url}: revealed personal data but records no category`);
        expect(record?.metadata.correlationId).toBe(response.headers['x-request-id']);
      }
    }
    // The check bites: these reads reveal personal data in the demo.
    for (const url of [
      '/persons/:personId',
      '/journeys/:journeyId/identification',
      '/journeys/:journeyId/timeline',
    ])
      expect(revealing).toContain(url);
    expect(revealing.size).toBeGreaterThanOrEqual(5);
    expect(failures).toEqual([]);
  });

  it('record the categories actually revealed, none for a role that reads none', async () => {
    const [subject] = subjects;
    if (!subject) throw new Error('no demo journey');
    const auditor = await world.tokenFor({
      sub: 'record-auditor',
      org: ORGS.outreach,
      roles: ['auditor'],
    });
    const answer = await world.call({
      method: 'GET',
      url: `/journeys/${subject.journeyId}/identification`,
      token: auditor,
    });
    expect(answer.status).toBe(200);
    const records = (await world.eventsIn('access-identification-')).filter(
      (event) => (event.data as unknown as PersonalDataRead).userId === 'record-auditor',
    );
    expect(records.map((event) => (event.data as unknown as PersonalDataRead).categories)).toEqual([
      [],
    ]);
  });
});

describe('when the access record cannot be written', () => {
  /** The store refuses every append to an access stream, as a full or broken disk would. */
  function refuseAccessAppends(store: EventStore): () => void {
    const append = store.append.bind(store);
    store.append = (stream, events, options) =>
      stream.startsWith('access-')
        ? Promise.reject(
            Object.assign(
              new Error(
                `SQLITE_FULL: database or disk is full at /var/lib/waypoint/events.sqlite (INSERT INTO events ...)`,
              ),
              {
                code: 'SQLITE_FULL',
              },
            ),
          )
        : append(stream, events, options);
    return () => {
      store.append = append;
    };
  }

  it('every read of personal data fails, and answers nothing of the person', async () => {
    const sealed = await sealedFields(world);
    expect(sealed.size).toBeGreaterThan(0);
    const restore = refuseAccessAppends(world.embedded.store);
    const failures: string[] = [];
    let refused = 0;
    try {
      for (const route of personalReads()) {
        for (const subject of subjects) {
          const { response, records } = await readAs(route, subject);
          expect(records).toEqual([]);
          if (response.status === 200) {
            // Only a read that records nothing by design may still answer: one with no personal value.
            if (personalValuesShown(response.text))
              failures.push(`${route.url}: answered personal data unrecorded`);
            if (!route.url.startsWith('/audit/'))
              failures.push(`${route.url}: answered without its record`);
            continue;
          }
          refused += 1;
          if (response.status < 500) failures.push(`${route.url}: ${String(response.status)}`);
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(Object.keys(response.json as object).sort()).toEqual([
            'code',
            'detail',
            'instance',
            'requestId',
            'status',
            'title',
            'type',
          ]);
          expect(response.text).not.toContain('Synthetic');
          expect(response.text).not.toMatch(/SQLITE|disk is full|events\.sqlite/);
          expectNoLeaks(response.text);
        }
      }
    } finally {
      restore();
    }
    expect(refused).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('reads work again once the store accepts the records', async () => {
    const [subject] = subjects;
    if (!subject) throw new Error('no demo journey');
    const route = personalReads().find(
      (candidate) => candidate.url === '/journeys/:journeyId/timeline',
    );
    if (!route) throw new Error('no timeline route');
    const { response, records } = await readAs(route, subject);
    expect(response.status).toBe(200);
    expect(records).toHaveLength(1);
  });

  it('leaks no internals in any error of this suite', () => {
    expect(world.errors.count).toBeGreaterThan(40);
    expect(world.errors.leaks()).toEqual([]);
  });
});
