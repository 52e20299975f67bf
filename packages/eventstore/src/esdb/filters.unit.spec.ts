import { describe, expect, it } from 'vitest';
import { serverFilterOf } from './filters.js';
import { StreamNaming } from './stream-naming.js';

const naming = new StreamNaming();

/** What the server does with a regex filter (.NET syntax agrees with JavaScript's for these). */
const regexOf = (filter: ReturnType<typeof serverFilterOf>): RegExp => {
  if (!('regex' in filter)) throw new Error('expected a regex filter');
  return new RegExp(filter.regex);
};

describe('server-side filters for $all', () => {
  it('categories become stream-name prefixes that also match sub-categories', () => {
    const filter = serverFilterOf(naming, { categories: ['identification', 'access'] });
    expect(filter).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['identification-', 'access-'],
    });
  });

  it('with categories and event types, the server filters on categories (types are checked on read)', () => {
    expect(
      serverFilterOf(naming, { categories: ['care'], eventTypes: ['CareStarted'] }),
    ).toMatchObject({ filterOn: 'streamName', prefixes: ['care-'] });
  });

  it('event types alone become an exact-match expression', () => {
    const filter = serverFilterOf(naming, { eventTypes: ['Noted', 'Closed'] });
    expect(filter.filterOn).toBe('eventType');
    const regex = regexOf(filter);
    expect(['Noted', 'Closed'].every((type) => regex.test(type))).toBe(true);
    expect(['NotedAgain', 'Note', 'XClosed'].some((type) => regex.test(type))).toBe(false);
  });

  it("no filter means this store's streams: no system events, no event-id claims", () => {
    const filter = serverFilterOf(naming, undefined);
    expect(filter.filterOn).toBe('streamName');
    const regex = regexOf(filter);
    expect(regex.test('shelter-0193')).toBe(true);
    expect(regex.test('$stats-127.0.0.1:2113')).toBe(false);
    expect(regex.test('$$shelter-1')).toBe(false);
    expect(regex.test(naming.claimStream('0193d3b1-7c2e-7a31-9f0e-2b6c1d4e5f60'))).toBe(false);
  });

  it('a stream prefix is part of every server-side filter', () => {
    const tenant = new StreamNaming('tenant.');
    expect(serverFilterOf(tenant, { categories: ['legal'] })).toMatchObject({
      prefixes: ['tenant.legal-'],
    });
    const regex = regexOf(serverFilterOf(tenant, {}));
    expect(regex.test('tenant.legal-1')).toBe(true);
    expect(regex.test('legal-1')).toBe(false);
    expect(regex.test('tenantxlegal-1')).toBe(false);
  });
});

describe('stream naming on the server', () => {
  it('maps Waypoint streams to server streams and back, and only its own', () => {
    const tenant = new StreamNaming('tenant.');
    expect(tenant.toServer('care-1')).toBe('tenant.care-1');
    expect(tenant.fromServer('tenant.care-1')).toBe('care-1');
    expect(tenant.fromServer('care-1')).toBeNull();
    expect(naming.fromServer('tenant.care-1')).toBeNull();
    expect(naming.fromServer('$ce-care')).toBeNull();
    expect(
      naming.fromServer(naming.claimStream('0193d3b1-7c2e-7a31-9f0e-2b6c1d4e5f60')),
    ).toBeNull();
  });

  it('refuses a prefix that could collide with stream names', () => {
    for (const prefix of ['Tenant.', 'tenant', '$tenant.', 'a-b.']) {
      expect(() => new StreamNaming(prefix)).toThrow(/streamPrefix/);
    }
  });
});
