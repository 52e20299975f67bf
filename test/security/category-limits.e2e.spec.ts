import {
  CATEGORY_ACCESS,
  readableCategories,
  ROLES,
  type Category,
  type Role,
} from '@waypoint/contracts';
import { routeAccess } from '@waypoint/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoJourneyIds, subjectOf, type Subject } from './support/demo-journey.js';
import {
  at,
  hiddenMarkers,
  isHidden,
  sealedFields,
  stringsOf,
  type SealedField,
} from './support/personal-values.js';
import { ORGS, startWorld, type World, SETUP_TIMEOUT } from './support/world.js';

/**
 * Need to know, checked on what the API answers: each role reads the categories CATEGORY_ACCESS
 * gives it and nothing else. The stored events say which field is in which category; the
 * caseworker's reading (every category) gives each field's plaintext; every other role's answers
 * are then searched for plaintext it may not read.
 */
let world: World;
let subjects: Subject[];
let sealed: Map<string, SealedField[]>;
/** Plaintext strings of the demo's personal values, with their category. */
const plaintexts = new Map<string, Category>();

interface TimelineEntry {
  eventId: string;
  data: unknown;
}

const tokenFor = (role: Role, sub = `limits-${role}`) =>
  world.tokenFor({ sub, org: ORGS.outreach, roles: [role] });

async function get(url: string, token: string) {
  const response = await world.call({ method: 'GET', url, token });
  expect(response.status, `${url}: ${response.text}`).toBe(200);
  return response;
}

async function timeline(journeyId: string, role: Role): Promise<TimelineEntry[]> {
  const response = await get(`/journeys/${journeyId}/timeline?limit=1000`, await tokenFor(role));
  return (response.json as { entries: TimelineEntry[] }).entries;
}

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 4 });
  subjects = await Promise.all(
    (await demoJourneyIds(world)).map((journeyId) => subjectOf(world, journeyId)),
  );
  sealed = await sealedFields(world);
  const keep = (value: unknown, category: Category) => {
    for (const text of stringsOf(value)) if (text.length >= 8) plaintexts.set(text, category);
  };
  for (const { journeyId, personId } of subjects) {
    for (const entry of await timeline(journeyId, 'caseworker'))
      for (const field of sealed.get(entry.eventId) ?? [])
        keep(at(entry.data, field.path), field.category);
    const person = await get(`/persons/${personId}`, await tokenFor('caseworker'));
    keep((person.json as { identity: unknown }).identity, 'identity');
  }
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

/** The plaintexts in a body that the roles may not read, with their category. */
function unreadableIn(body: string, roles: readonly Role[]): string[] {
  const readable = readableCategories(roles);
  return [...plaintexts]
    .filter(([text, category]) => !readable.has(category) && body.includes(text))
    .map(([text, category]) => `${category}: ${text}`);
}

describe('categories of personal data by role', () => {
  it('the demo holds personal values of every category, so the checks below bite', () => {
    expect(new Set(plaintexts.values())).toEqual(
      new Set(['identity', 'location', 'health', 'legal', 'notes']),
    );
  });

  it('reveals each field of the timeline exactly to the roles of its category', async () => {
    const readers = routeAccess(world.embedded.app).find(
      (route) => route.url === '/journeys/:journeyId/timeline' && route.method === 'GET',
    );
    if (!readers || 'public' in readers.access) throw new Error('no timeline route');
    const failures: string[] = [];
    let checked = 0;
    for (const role of readers.access.roles) {
      const readable = new Set(CATEGORY_ACCESS[role]);
      for (const { journeyId } of subjects) {
        for (const entry of await timeline(journeyId, role)) {
          for (const field of sealed.get(entry.eventId) ?? []) {
            checked += 1;
            const value = at(entry.data, field.path);
            const where = `${role} ${entry.eventId} ${field.path.join('.')} (${field.category})`;
            if (readable.has(field.category) && isHidden(value))
              failures.push(`${where}: hidden from a role that may read it`);
            if (
              !readable.has(field.category) &&
              !(
                isHidden(value) &&
                value.$hidden === 'restricted' &&
                value.category === field.category
              )
            )
              failures.push(`${where}: shown as ${JSON.stringify(value)}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('shows no role a value of a category it may not read, on any journey or person read', async () => {
    const failures: string[] = [];
    const routes = routeAccess(world.embedded.app).filter(
      (route) =>
        route.method === 'GET' &&
        (route.url.includes(':journeyId') || route.url.includes(':personId')) &&
        !('public' in route.access),
    );
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      if ('public' in route.access) continue;
      for (const role of route.access.roles) {
        const token = await tokenFor(role);
        for (const subject of subjects) {
          const url =
            route.url
              .replace(':journeyId', subject.journeyId)
              .replace(':personId', subject.personId) +
            (route.url.endsWith('/as-of') ? '?at=2099-01-01' : '');
          const response = await world.call({ method: 'GET', url, token });
          if (response.status !== 200) continue;
          for (const leak of unreadableIn(response.text, [role]))
            failures.push(`${role} ${route.url}: ${leak}`);
          for (const marker of hiddenMarkers(response.json))
            if (marker.kind === 'restricted' && CATEGORY_ACCESS[role].includes(marker.category))
              failures.push(
                `${role} ${route.url}${marker.path}: ${marker.category} hidden from a role that reads it`,
              );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps legal details from a shelter worker and health notes from a legal advisor', async () => {
    const shelter = await Promise.all(
      subjects.map(({ journeyId }) => timeline(journeyId, 'shelter_staff')),
    );
    const legal = await Promise.all(
      subjects.map(({ journeyId }) => timeline(journeyId, 'legal_advisor')),
    );
    const categoriesHidden = (entries: TimelineEntry[][]) =>
      new Set(
        entries
          .flat()
          .flatMap((entry) => hiddenMarkers(entry.data).map((marker) => marker.category)),
      );
    expect(categoriesHidden(shelter)).toContain('legal');
    expect(categoriesHidden(shelter)).toContain('health');
    expect(categoriesHidden(legal)).toContain('health');
    expect(unreadableIn(JSON.stringify(shelter), ['shelter_staff'])).toEqual([]);
    expect(unreadableIn(JSON.stringify(legal), ['legal_advisor'])).toEqual([]);
  });

  it('shows auditors, analysts and administrators no personal value at all', async () => {
    const failures: string[] = [];
    const everything = [...plaintexts.keys()];
    for (const role of ['auditor', 'analyst', 'admin'] as const satisfies readonly Role[]) {
      expect(CATEGORY_ACCESS[role]).toEqual([]);
      const token = await tokenFor(role);
      for (const route of routeAccess(world.embedded.app)) {
        if (
          route.method !== 'GET' ||
          'public' in route.access ||
          !route.access.roles.includes(role)
        )
          continue;
        for (const subject of subjects) {
          const url = route.url
            .replace(':journeyId', subject.journeyId)
            .replace(':personId', subject.personId)
            .replace(':orgId', ORGS.outreach);
          const response = await world.call({ method: 'GET', url, token });
          const shown = everything.filter((text) => response.text.includes(text));
          if (shown.length > 0) failures.push(`${role} ${url}: ${shown.join(' | ')}`);
          if (
            role === 'analyst' &&
            (response.text.includes(subject.journeyId) || response.text.includes(subject.personId))
          )
            failures.push(`analyst ${url}: names a journey or person`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every role whose categories are empty on the routes that reveal identity', () => {
    const person = routeAccess(world.embedded.app).find(
      (route) => route.url === '/persons/:personId' && route.method === 'GET',
    );
    if (!person || 'public' in person.access) throw new Error('no person route');
    const blind = ROLES.filter((role) => CATEGORY_ACCESS[role].length === 0);
    expect(person.access.roles.filter((role) => blind.includes(role))).toEqual([]);
  });
});
