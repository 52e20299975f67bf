import { describe, expect, it } from 'vitest';
import { demoClock } from './demo-clock.js';

const real = new Date('2026-06-01T12:00:00Z');

describe('the demo clock', () => {
  it('reads the real time until set', () => {
    expect(demoClock(() => real).now()).toEqual(real);
  });

  it('reads the moment it was set to, and moves forward by hours', () => {
    const clock = demoClock(() => real);
    clock.set(new Date('2026-01-10T08:00:00Z'));
    expect(clock.now()).toEqual(new Date('2026-01-10T08:00:00Z'));
    expect(clock.advance(30)).toEqual(new Date('2026-01-11T14:00:00Z'));
    expect(clock.now()).toEqual(new Date('2026-01-11T14:00:00Z'));
  });

  it('never runs ahead of the real time', () => {
    const clock = demoClock(() => real);
    clock.set(new Date('2026-05-31T12:00:00Z'));
    expect(clock.advance(48)).toEqual(real);
    expect(clock.set(new Date('2027-01-01T00:00:00Z'))).toEqual(real);
  });

  it('reads the real time again once released', () => {
    let now = real;
    const clock = demoClock(() => now);
    clock.set(new Date('2026-01-10T08:00:00Z'));
    clock.release();
    now = new Date('2026-06-01T12:00:05Z');
    expect(clock.now()).toEqual(now);
  });
});
