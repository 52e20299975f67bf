import { routeAccess, type RouteAccessEntry } from '@waypoint/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoJourneyIds, subjectOf, type Subject } from './support/demo-journey.js';
import { SETUP_TIMEOUT, startWorld, type World } from './support/world.js';

/**
 * Access given is access that ends: a referred organisation sees a journey while its referral is
 * accepted and the sharing consent it relied on holds, and not a moment after; a token works for
 * its short life and not after.
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
afterEach(() => {
  vi.useRealTimers();
});

/** Every read about one journey that a referred organisation's staff may call. */
function journeyReads(): RouteAccessEntry[] {
  return routeAccess(world.embedded.app).filter(
    (route) =>
      route.method === 'GET' &&
      route.url.startsWith('/journeys/:journeyId') &&
      !('public' in route.access) &&
      route.access.roles.some((role) => role === 'caseworker' || role === 'supervisor'),
  );
}

/** The referred organisation's staff: one token per role, so every read route is tried. */
async function referredStaff(orgId: string) {
  return {
    caseworker: await world.tokenFor({
      sub: `referred-caseworker-${orgId}`,
      org: orgId,
      roles: ['caseworker'],
    }),
    supervisor: await world.tokenFor({
      sub: `referred-supervisor-${orgId}`,
      org: orgId,
      roles: ['supervisor'],
    }),
  };
}

/** The status of each journey read for the referred organisation, and whether the list shows it. */
async function whatTheySee(subject: Subject, orgId: string) {
  const staff = await referredStaff(orgId);
  const statuses = new Map<string, number>();
  for (const route of journeyReads()) {
    if ('public' in route.access) continue;
    const token = route.access.roles.includes('caseworker') ? staff.caseworker : staff.supervisor;
    const url =
      route.url.replace(':journeyId', subject.journeyId) +
      (route.url.endsWith('/as-of') ? '?at=2099-01-01' : '');
    statuses.set(route.url, (await world.call({ method: 'GET', url, token })).status);
  }
  const list = await world.call({
    method: 'GET',
    url: '/journeys?limit=200',
    token: staff.caseworker,
  });
  return { statuses, listed: list.text.includes(subject.journeyId) };
}

async function record(url: string, body: unknown) {
  const response = await world.call({
    method: 'POST',
    url,
    token: await world.demo('caseworker'),
    body,
  });
  expect(response.status, response.text).toBeLessThan(300);
  await world.embedded.projections.whenCaughtUp();
}

const allStatuses = (statuses: Map<string, number>) => new Set(statuses.values());

describe('a referred organisation', () => {
  it('sees the journey while the referral is accepted, and loses it when the referral is completed', async () => {
    const subject = subjects[0];
    const referral = subject?.referrals.find((candidate) => candidate.status === 'accepted');
    if (!subject || !referral) throw new Error('no demo journey with an accepted referral');
    const before = await whatTheySee(subject, referral.toOrgId);
    expect(before.statuses.size).toBeGreaterThan(10);
    expect(allStatuses(before.statuses)).toEqual(new Set([200]));
    expect(before.listed).toBe(true);

    await record(`/journeys/${subject.journeyId}/referrals/${referral.referralId}/completion`, {});

    const after = await whatTheySee(subject, referral.toOrgId);
    expect(Object.fromEntries(after.statuses)).toEqual(
      Object.fromEntries([...after.statuses.keys()].map((url) => [url, 404])),
    );
    expect(after.listed).toBe(false);
    // The organisation that opened the journey still sees it.
    const opener = await world.call({
      method: 'GET',
      url: `/journeys/${subject.journeyId}/timeline`,
      token: await world.demo('caseworker'),
    });
    expect(opener.status).toBe(200);
  });

  it('loses the journey when the sharing consent its referral relied on is withdrawn', async () => {
    const subject = subjects[1];
    const referral = subject?.referrals.find(
      (candidate) => candidate.status === 'accepted' && candidate.consentId !== undefined,
    );
    if (!subject || !referral?.consentId)
      throw new Error('no demo journey with a consented referral');
    expect(allStatuses((await whatTheySee(subject, referral.toOrgId)).statuses)).toEqual(
      new Set([200]),
    );

    await record(`/journeys/${subject.journeyId}/consents/${referral.consentId}/withdrawal`, {});

    const after = await whatTheySee(subject, referral.toOrgId);
    expect(allStatuses(after.statuses)).toEqual(new Set([404]));
    expect(after.listed).toBe(false);
    // Nor can it record anything on the journey any more.
    const write = await world.call({
      method: 'POST',
      url: `/journeys/${subject.journeyId}/information`,
      token: (await referredStaff(referral.toOrgId)).caseworker,
      body: { topic: 'rights', language: 'en', interpreterUsed: false },
    });
    expect(write.status).toBe(404);
  });
});

describe('a token', () => {
  it('stops working when it expires, even after it was accepted (and remembered) before', async () => {
    const token = await world.tokenFor(
      { sub: 'short-lived', org: subjects[0]?.openedByOrgId ?? '', roles: ['caseworker'] },
      300,
    );
    expect((await world.call({ method: 'GET', url: '/journeys', token })).status).toBe(200);
    // Past its expiry and the 5 s of clock skew the verifier allows.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 310_000 });
    const late = await world.call({ method: 'GET', url: '/journeys', token });
    expect(late.status).toBe(401);
    expect((late.json as { detail: string }).detail).toMatch(/expired/);
  });

  it('cannot be minted for longer than the maximum lifetime and still be accepted', async () => {
    const token = await world.tokenFor(
      { sub: 'long-lived', org: subjects[0]?.openedByOrgId ?? '', roles: ['caseworker'] },
      901,
    );
    expect((await world.call({ method: 'GET', url: '/journeys', token })).status).toBe(401);
  });
});
