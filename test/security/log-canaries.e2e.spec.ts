import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshId, ORGS, SETUP_TIMEOUT, startWorld, type World } from './support/world.js';

/**
 * Personal data never reaches the logs: a person whose name, address and notes carry unique
 * canary strings is recorded through the API, read back, refused, and made to fail; the whole log
 * of the process is then searched for the canaries.
 */
const lines: string[] = [];
const log = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString('utf8'));
    done();
  },
});

const tag = freshId().slice(-12);
const CANARY = {
  givenName: `Canarygiven${tag}`,
  familyName: `Canaryfamily${tag}`,
  location: `Canary street ${tag}`,
  rationale: `Canary rationale ${tag}`,
  guardian: `Canary guardian ${tag}`,
};

let world: World;
let journeyId = '';
let personId = '';

beforeAll(async () => {
  world = await startWorld({ demoJourneys: 1, log });
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

const caseworker = () => world.demo('caseworker');

async function post(url: string, body: unknown, token?: string) {
  return world.call({ method: 'POST', url, token: token ?? (await caseworker()), body });
}

describe('the logs', () => {
  it('hold no personal value of a person recorded, read, refused and failed through the API', async () => {
    const registered = await post('/persons', {
      identity: {
        givenName: CANARY.givenName,
        familyName: CANARY.familyName,
        birthDate: '1990-02-03',
      },
      gender: 'Feminine',
      ageBand: '30-38',
      child: 'no',
      citizenship: ['NL'],
      languages: ['en'],
    });
    expect(registered.status, registered.text).toBe(201);
    personId = (registered.json as { personId: string }).personId;
    const opened = await post('/journeys', { personId, jurisdiction: 'NL' });
    expect(opened.status, opened.text).toBe(201);
    journeyId = (opened.json as { journeyId: string }).journeyId;
    const base = `/journeys/${journeyId}`;
    expect(
      (await post(`${base}/first-contact`, { channel: 'outreach', location: CANARY.location }))
        .status,
    ).toBe(201);
    expect(
      (
        await post(`${base}/reasonable-grounds`, {
          outcome: 'positive',
          decidingBody: { type: 'NGO', name: 'Harbour Outreach' },
          reasonCodes: ['indicators_present'],
          rationale: CANARY.rationale,
          legalBasis: 'CoE Convention Art. 10(2)',
        })
      ).status,
    ).toBe(201);
    await world.embedded.projections.whenCaughtUp();

    // Reads, by roles that see the values and roles that do not.
    const readers = [
      await caseworker(),
      await world.demo('dpo'),
      await world.tokenFor({ sub: 'auditor-x', org: ORGS.outreach, roles: ['auditor'] }),
    ];
    for (const token of readers)
      for (const url of [
        `/persons/${personId}`,
        `${base}/identification`,
        `${base}/timeline`,
        `${base}/summary`,
        `/persons?givenName=${CANARY.givenName}&familyName=${CANARY.familyName}`,
      ])
        await world.call({ method: 'GET', url, token });

    // Refusals that carry the values: validation errors, duplicates, the wrong role, no token.
    await post('/persons', {
      identity: { givenName: CANARY.givenName, familyName: CANARY.familyName },
      gender: 'Feminine',
      ageBand: '30-38',
      child: 'no',
      citizenship: ['NL'],
      languages: ['en'],
    });
    await post('/persons', {
      identity: { givenName: CANARY.givenName, familyName: 42 },
      gender: CANARY.familyName,
    });
    await post(`${base}/first-contact`, { channel: CANARY.location, location: CANARY.location });
    await post(`${base}/first-contact`, {
      channel: 'outreach',
      location: { nested: CANARY.location },
    });
    await world.call({
      method: 'POST',
      url: `${base}/first-contact`,
      body: { channel: 'outreach', location: CANARY.location },
    });
    await post(
      `${base}/first-contact`,
      { channel: 'outreach', location: CANARY.location },
      await world.demo('analyst'),
    );
    await world.call({
      method: 'POST',
      url: `${base}/first-contact`,
      token: await caseworker(),
      body: `{"location":"${CANARY.location}",`,
      headers: { 'content-type': 'application/json' },
    });
    await world.call({
      method: 'GET',
      url: `/persons?givenName=${CANARY.givenName}`,
      token: await caseworker(),
    });
    // Canaries in the URL and headers, where a request logger would pick them up.
    await world.call({
      method: 'GET',
      url: `/journeys?cursor=${encodeURIComponent(CANARY.familyName)}`,
      token: await caseworker(),
    });
    await world.call({
      method: 'GET',
      url: `/nowhere/${CANARY.givenName}`,
      token: await caseworker(),
    });

    // A failure: the access record cannot be written, so the read fails with a logged error.
    const store = world.embedded.store;
    const append = store.append.bind(store);
    store.append = (stream, events, options) =>
      stream.startsWith('access-')
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, options);
    try {
      const failed = await world.call({
        method: 'GET',
        url: `${base}/identification`,
        token: await caseworker(),
      });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      store.append = append;
    }

    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(40);
    // The log did see these requests and the failure; the person's values are not in it.
    expect(text).toContain('"route":"/persons/:personId"');
    expect(
      lines.some((line) => line.includes('"level":50') && line.includes('request failed')),
    ).toBe(true);
    const found = Object.entries(CANARY).filter(
      ([, canary]) => text.includes(canary) || text.toLowerCase().includes(canary.toLowerCase()),
    );
    expect(found.map(([name]) => name)).toEqual([]);
    // Nor the person's birth date next to their id, nor the bearer tokens.
    expect(text).not.toContain('1990-02-03');
    expect(text).not.toContain(await caseworker());
    expect(text).not.toMatch(/"authorization"\s*:\s*"Bearer/i);
  });
});
