import { DomainError } from '@waypoint/decider';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '@waypoint/eventstore';
import { describe, expect, it } from 'vitest';
import { describeError } from './problem-mapping.js';

describe('describeError', () => {
  it.each([
    ['not_found', 404],
    ['forbidden', 403],
    ['conflict', 409],
    ['precondition', 422],
  ] as const)('answers a DomainError of kind %s with %i and the domain code', (kind, status) => {
    const problem = describeError(new DomainError('JOURNEY_CLOSED', 'The journey is closed', kind));
    expect(problem).toMatchObject({
      status,
      code: 'JOURNEY_CLOSED',
      detail: 'The journey is closed',
    });
  });

  it('reports a write to a stream that does not exist yet with actualRevision null', () => {
    const problem = describeError(new WrongExpectedRevisionError('shelter-x', 2, 'no_stream'));
    expect(problem.extras).toEqual({ expectedRevision: 2, actualRevision: null });
  });

  it('treats other event store errors as unexpected', () => {
    expect(describeError(new DuplicateEventIdError('shelter-x', ['id'])).code).toBe('INTERNAL');
  });

  it.each([['a string'], [null], [undefined], [42]])(
    'treats a thrown %j as unexpected',
    (thrown) => {
      expect(describeError(thrown)).toMatchObject({
        status: 500,
        code: 'INTERNAL',
        unexpected: true,
      });
    },
  );

  it('never reuses the message of a Fastify refusal, which can quote the URL', () => {
    const badUrl = Object.assign(new URIError("'%E0%A4%A' is not a valid url component"), {
      code: 'FST_ERR_BAD_URL',
      statusCode: 400,
    });
    const problem = describeError(badUrl);
    expect(problem).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(problem.detail).not.toContain('%E0');
  });

  it('maps any other Fastify client error to BAD_REQUEST', () => {
    const other = Object.assign(new Error('whatever'), {
      code: 'FST_ERR_SOMETHING',
      statusCode: 431,
    });
    expect(describeError(other)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});
