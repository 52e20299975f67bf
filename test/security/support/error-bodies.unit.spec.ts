import { describe, expect, it } from 'vitest';
import { ErrorBodies, leaksIn } from './error-bodies.js';

describe('the leak check of error bodies', () => {
  it.each([
    ['a stack frame', 'Error: boom\n    at handler (/work/main/services/x.ts:10:5)'],
    ['a stack frame', '{"detail":"at Object.<anonymous> (file:///srv/app.js:1:1)"}'],
    ['SQL from a driver', '{"detail":"syntax error at or near \\"DROP\\""}'],
    ['SQL from a driver', '{"detail":"SQLITE_CONSTRAINT: UNIQUE constraint failed"}'],
    ['SQL from a driver', '{"detail":"SELECT summary FROM journey.summaries"}'],
    ['a source file path', '{"detail":"cannot open /var/lib/waypoint/events.sqlite"}'],
    ['an internal hostname', '{"detail":"connect ECONNREFUSED 127.0.0.1:5432"}'],
    ['an internal hostname', '{"detail":"kafka-0.kafka.svc.cluster.local unreachable"}'],
    ['an error class name', '{"detail":"TypeError: Cannot read properties of undefined"}'],
    ['a key or secret', '{"detail":"-----BEGIN PRIVATE KEY-----"}'],
  ])('finds %s', (name, body) => {
    expect(leaksIn(body)).toContain(name);
  });

  it('passes an ordinary problem', () => {
    const problem = JSON.stringify({
      type: 'urn:waypoint:problem:VALIDATION_FAILED',
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'querystring.phase: Invalid option: expected one of "identification"|"recovery"',
      instance: '/journeys/01a22382-49d7-7559-9671-ce2207ebb277/timeline',
      requestId: '4d5feef1-21e3-4973-a051-d06e5f4faf8c',
      field: 'querystring.phase',
    });
    expect(leaksIn(problem)).toEqual([]);
  });

  it('keeps every body and reports the ones that leak, with the request', () => {
    const bodies = new ErrorBodies();
    bodies.keep('GET /a', '{"code":"NOT_FOUND"}');
    bodies.keep('GET /b', '{"detail":"relation \\"events\\" does not exist"}');
    expect(bodies.count).toBe(2);
    expect(bodies.leaks().map((leak) => leak.request)).toEqual(['GET /b']);
  });
});
