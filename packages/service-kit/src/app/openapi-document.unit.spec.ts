import { describe, expect, it } from 'vitest';
import { finishDocument, withoutCiphertext, withoutNoise } from './openapi-document.js';
import { operationIdOf } from './operation-id.js';

const envelope = {
  type: 'object',
  properties: { $enc: { type: 'string', enum: ['aes-256-gcm/v1'] }, ct: { type: 'string' } },
};
const problemInline = {
  description: 'A problem',
  content: { 'application/problem+json': { schema: { type: 'object', properties: {} } } },
};

function commandOperation(): Record<string, unknown> {
  return {
    requestBody: {
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { location: { anyOf: [envelope, { type: 'string', maxLength: 9 }] } },
          },
        },
      },
    },
    responses: {
      '201': {
        content: {
          'application/json': {
            schema: { type: 'object', properties: { eventIds: { type: 'array' } } },
          },
        },
      },
      default: problemInline,
    },
  };
}

interface Finished {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, { required?: string[] }>;
    responses: Record<string, unknown>;
  };
}

function finish(paths: Record<string, unknown>): Finished {
  return finishDocument({ openapi: '3.1.0', paths }) as unknown as Finished;
}

describe('operation ids', () => {
  it.each([
    ['get', '/journeys/{journeyId}/timeline', 'getJourneysByJourneyIdTimeline'],
    ['get', '/analytics/exports/ctdc.csv', 'getAnalyticsExportsCtdcCsv'],
    [
      'get',
      '/journeys/{journeyId}/reintegration/next-review',
      'getJourneysByJourneyIdReintegrationNextReview',
    ],
    [
      'post',
      '/admin/projections/{name}/parked/{eventId}/retry',
      'postAdminProjectionsByNameParkedByEventIdRetry',
    ],
  ])('%s %s is %s', (method, path, id) => {
    expect(operationIdOf(method, path)).toBe(id);
  });

  it('keeps an id the route gives itself', () => {
    const document = finish({ '/x': { get: { operationId: 'readX', responses: {} } } });
    expect(document.paths['/x']?.get?.operationId).toBe('readX');
  });

  it('refuses two operations with one id', () => {
    expect(() =>
      finish({
        '/a': { get: { operationId: 'same', responses: {} } },
        '/b': { get: { operationId: 'same', responses: {} } },
      }),
    ).toThrow(/operationId same names both get \/a and get \/b/);
  });
});

describe('the finished document', () => {
  it('never offers an encrypted-field envelope as an input', () => {
    const document = finish({ '/journeys': { post: commandOperation() } });
    const body = document.paths['/journeys']?.post?.requestBody;
    expect(JSON.stringify(body)).not.toContain('$enc');
    expect(body).toMatchObject({
      content: {
        'application/json': {
          schema: { properties: { location: { type: 'string', maxLength: 9 } } },
        },
      },
    });
  });

  it('drops the patterns that only repeat a format, and the safe-integer bounds', () => {
    expect(
      withoutNoise({
        properties: {
          id: { type: 'string', format: 'uuid', pattern: '^[0-9a-f-]+$' },
          code: { type: 'string', pattern: '^[A-Z]{2}$' },
          revision: {
            type: 'integer',
            minimum: Number.MIN_SAFE_INTEGER,
            maximum: 9007199254740991,
          },
          count: { type: 'integer', minimum: 0, maximum: 20 },
        },
      }),
    ).toEqual({
      properties: {
        id: { type: 'string', format: 'uuid' },
        code: { type: 'string', pattern: '^[A-Z]{2}$' },
        revision: { type: 'integer' },
        count: { type: 'integer', minimum: 0, maximum: 20 },
      },
    });
  });

  it('keeps the other branches of a union that had an envelope', () => {
    expect(
      withoutCiphertext({ anyOf: [envelope, { type: 'string' }, { type: 'number' }] }),
    ).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
  });

  it('refers every problem answer to the one Problem response, for 4XX too', () => {
    const document = finish({ '/journeys': { post: commandOperation() } });
    const problem = { $ref: '#/components/responses/Problem' };
    expect(document.paths['/journeys']?.post?.responses).toMatchObject({
      default: problem,
      '4XX': problem,
    });
    expect(document.components.responses.Problem).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(document.components.schemas.Problem?.required).toContain('requestId');
  });

  it("says what a success answer is instead of the generator's placeholder", () => {
    const operation = commandOperation();
    const responses = operation.responses as Record<string, Record<string, unknown>>;
    (responses['201'] as Record<string, unknown>).description = 'Default Response';
    const document = finish({ '/journeys': { post: operation } });
    expect(document.paths['/journeys']?.post?.responses).toMatchObject({
      '201': { description: 'Created: the command was recorded' },
    });
  });

  it('documents If-Match and Idempotency-Key on command routes only', () => {
    const document = finish({
      '/journeys': {
        post: commandOperation(),
        get: { responses: { '200': { content: { 'application/json': { schema: {} } } } } },
      },
    });
    expect(document.paths['/journeys']?.post?.parameters).toEqual([
      { $ref: '#/components/parameters/IfMatch' },
      { $ref: '#/components/parameters/IdempotencyKey' },
    ]);
    expect(document.paths['/journeys']?.get?.parameters).toBeUndefined();
  });
});
