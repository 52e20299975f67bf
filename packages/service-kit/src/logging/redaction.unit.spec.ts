import { describe, expect, it } from 'vitest';
import { CENSORED, PERSONAL_FIELD_NAMES, createCensor } from './redaction.js';

const censor = createCensor(PERSONAL_FIELD_NAMES, new Set(['req']));

describe('the log censor', () => {
  it('replaces personal fields at any depth and in any letter case', () => {
    expect(censor({ a: [{ b: { FirstName: 'Ana', age: 30 } }], phone: '0612' })).toEqual({
      a: [{ b: { FirstName: CENSORED, age: 30 } }],
      phone: CENSORED,
    });
  });

  it('leaves the logged object itself untouched', () => {
    const logged = { person: { name: 'Ana' } };
    censor(logged);
    expect(logged.person.name).toBe('Ana');
  });

  it('returns the same object when there is nothing to censor', () => {
    const logged = { code: 'X', nested: { status: 400 } };
    expect(censor(logged)).toBe(logged);
  });

  it('leaves the keys a serializer reduces alone', () => {
    const req = { name: 'kept for the req serializer' };
    expect(censor({ req }).req).toBe(req);
  });

  it('stops at cycles and at great depth instead of walking forever', () => {
    const cyclic: Record<string, unknown> = { email: 'a@b.c' };
    cyclic.self = cyclic;
    expect(censor({ cyclic })).toEqual({ cyclic: { email: CENSORED, self: '[NOT LOGGED]' } });
    let deep: Record<string, unknown> = { name: 'Ana' };
    for (let level = 0; level < 20; level += 1) deep = { next: deep };
    expect(JSON.stringify(censor({ deep }))).not.toContain('Ana');
  });

  it('keeps a value shared by two fields', () => {
    const shared = { status: 'open' };
    expect(censor({ first: shared, second: shared })).toEqual({ first: shared, second: shared });
  });
});
