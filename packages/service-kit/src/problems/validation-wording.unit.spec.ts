import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { wordingOf, type ValidationIssue } from './validation-wording.js';

/** The issues Fastify hands the error handler for a value that fails `schema`. */
function issuesOf(schema: z.ZodType, value: unknown): ValidationIssue[] {
  const validate = validatorCompiler({ schema, method: 'POST', url: '/', httpPart: 'body' });
  const result = validate(value) as { error?: unknown };
  if (!Array.isArray(result.error)) throw new Error('the value is valid');
  return result.error as ValidationIssue[];
}

function wording(schema: z.ZodType, value: unknown): string {
  const [first] = issuesOf(schema, value);
  if (first === undefined) throw new Error('no issue');
  return wordingOf(first);
}

describe('the wording of a validation problem', () => {
  it.each([
    ['a missing field', z.object({ name: z.string() }), {}, 'is required: a string'],
    ['a wrong type', z.string(), 42, 'must be a string, not number'],
    ['a fraction for an integer', z.number().int(), 1.5, 'must be a whole number, not number'],
    ['a bad UUID', z.uuid(), 'x', 'must be a UUID (like 0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a)'],
    ['a bad day', z.iso.date(), '2025-13-01', 'must be a day, YYYY-MM-DD (like 2025-03-01)'],
    ['an unknown option', z.enum(['hotline', 'police']), 'x', 'must be one of "hotline", "police"'],
    ['too short a text', z.string().min(1), '', 'must have at least 1 character'],
    ['too long a list', z.array(z.string()).max(2), ['a', 'b', 'c'], 'must have at most 2 items'],
    ['too small a number', z.number().min(2), 1, 'must be at least 2'],
    ['a pattern', z.string().regex(/^[A-Z]{2}$/), 'nl', 'must be text matching /^[A-Z]{2}$/'],
    [
      'an extra field',
      z.object({}).strict(),
      { extra: 1 },
      'has fields this request does not accept: extra',
    ],
  ])('names what is expected for %s', (_case, schema, value, expected) => {
    expect(wording(schema, value)).toBe(expected);
  });

  it('lists the forms a union accepts instead of "Invalid input"', () => {
    const occurredAt = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
    expect(wording(occurredAt, 'yesterday')).toBe(
      'must be an ISO 8601 instant with Z or an offset (like 2025-03-01T09:30:00Z), or a day, YYYY-MM-DD (like 2025-03-01)',
    );
  });

  it('keeps a message the schema wrote itself', () => {
    expect(wording(z.string().regex(/^x$/, 'must be x'), 'y')).toBe('must be x');
  });

  it('never quotes the value that was sent', () => {
    expect(wording(z.enum(['a']), 'Ana Maria Lopez')).not.toContain('Ana');
    expect(wording(z.uuid(), 'Ana Maria Lopez')).not.toContain('Ana');
  });
});
