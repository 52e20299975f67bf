import { describe, expect, it } from 'vitest';
import { messageKey } from './message-key.js';

const journeyId = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('the message key of a stream', () => {
  it.each([
    `shelter-${journeyId}`,
    `access-shelter-${journeyId}`,
    `legal-${journeyId.toUpperCase()}`,
  ])('%s is keyed by its journey id', (stream) => {
    expect(messageKey(stream)).toBe(journeyId);
  });

  it.each([
    `organisation-${journeyId}`,
    `shelterregistry-${journeyId}`,
    `person-${journeyId}`,
    'organisation-acme',
    'demo-1',
  ])('%s, which is not a journey stream, is keyed by its name', (stream) => {
    expect(messageKey(stream)).toBe(stream);
  });
});
