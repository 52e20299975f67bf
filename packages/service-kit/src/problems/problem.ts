import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The RFC 9457 body every refusal and failure is answered with. Exported so routes can document
 * their problems in OpenAPI; the error handler does not validate against it.
 */
export const problemSchema = z
  .object({
    type: z.string().describe('`urn:waypoint:problem:<code>`'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable UPPER_SNAKE code: branch on this'),
    detail: z.string().describe('What went wrong, for a person to read'),
    instance: z.string().describe('The request path'),
    requestId: z.string().describe('Quote it when reporting a problem; it is in every log line'),
    field: z.string().optional().describe('The first offending field (`body.journeyId`)'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Every offending field, on VALIDATION_FAILED'),
    expectedRevision: z.union([z.number(), z.string()]).optional(),
    actualRevision: z.number().nullable().optional(),
  })
  .describe('Problem details (RFC 9457)');

export type Problem = z.infer<typeof problemSchema>;
