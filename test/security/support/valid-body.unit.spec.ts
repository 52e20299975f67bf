import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sampleOf, validBodies, type JsonSchema, type OpenApiDocument } from './valid-body.js';

const ajv = new Ajv({ strict: false });
addFormats.default(ajv);

/** Shapes the zod provider emits for the contracts' bodies. */
const command: JsonSchema = {
  type: 'object',
  properties: {
    personId: { type: 'string', format: 'uuid' },
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    channel: {
      anyOf: [
        { type: 'string', enum: ['Police', 'NGO'] },
        { type: 'string', maxLength: 64, pattern: '^x-[a-z0-9]+(?:-[a-z0-9]+)*$' },
      ],
    },
    notes: {
      anyOf: [
        { type: 'object', properties: { $enc: { type: 'string' } }, required: ['$enc'] },
        { type: 'string', minLength: 3, maxLength: 4000 },
      ],
    },
    indicators: {
      type: 'array',
      minItems: 2,
      items: { type: 'string', enum: ['DebtBondage', 'WithholdsDocuments'] },
    },
    capacity: { type: 'integer', minimum: 1, maximum: 200 },
    occurredOn: { type: 'string', format: 'date' },
    occurredAt: { type: 'string', format: 'date-time' },
    optional: { type: 'string' },
  },
  required: ['personId', 'country', 'channel', 'notes', 'indicators', 'capacity'],
};

describe('a valid body from a route schema', () => {
  it('is accepted by the schema it was drawn from', () => {
    const body = sampleOf(command);
    expect(ajv.validate(command, body), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('never sends client-side ciphertext, and gives one of occurredAt / occurredOn', () => {
    const body = sampleOf(command) as Record<string, unknown>;
    expect(typeof body.notes).toBe('string');
    expect(body.occurredAt ?? body.occurredOn).toBeDefined();
    expect(body).not.toHaveProperty('optional');
  });

  it('fails loudly on a pattern it has no value for, rather than sending an invalid body', () => {
    expect(() => sampleOf({ type: 'string', pattern: '^[0-9]{9}$' })).toThrow(/no sample/);
  });

  it('finds the schema of a Fastify route in the OpenAPI document, $refs resolved', () => {
    const document: OpenApiDocument = {
      components: { schemas: { Command: command } },
      paths: {
        '/journeys/{journeyId}/indicators': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Command' } } },
            },
          },
        },
      },
    };
    const body = validBodies(document)('POST', '/journeys/:journeyId/indicators');
    expect(ajv.validate(command, body), JSON.stringify(ajv.errors)).toBe(true);
    expect(validBodies(document)('POST', '/journeys/:journeyId/closure')).toBeUndefined();
  });
});
