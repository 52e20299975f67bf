import { expect } from 'vitest';
import { leaksIn } from './error-bodies.js';

/** The body carries no stack, SQL, path, hostname or secret. */
export function expectNoLeaks(body: string): void {
  expect(leaksIn(body), body).toEqual([]);
}
