import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, type ServiceApp } from '../app/create-service-app.js';
import { http } from '../testing/http.js';
import { testAuth, type TestAuth } from '../testing/test-auth.js';

/** Strings that must never reach a log line, whatever the request does. */
const CANARY = {
  name: 'CANARY-NAME-Ana-Lopez',
  notes: 'CANARY-NOTES-trafficked-via',
  street: 'CANARY-STREET-12',
  extra: 'CANARY-EXTRA-FIELD',
  shelterCode: 'CANARY-SHELTER-CODE',
  query: 'CANARY-QUERY-Ana',
  header: 'CANARY-HEADER-phone-0612',
  cookie: 'CANARY-COOKIE-session',
  requestId: 'CANARY-REQUEST-ID',
  uuidField: 'CANARY-NOT-A-UUID',
  deep: 'CANARY-DEEP-Lopez',
  listed: 'CANARY-IN-A-LIST',
  binding: 'CANARY-CHILD-BINDING',
  capitalised: 'CANARY-Capitalised-Email',
};

const personBody = z.object({
  name: z.string(),
  notes: z.string(),
  address: z.object({ street: z.string() }),
  extra: z.string(),
  shelterCode: z.string(),
});

describe('logging', () => {
  let app: ServiceApp;
  let auth: TestAuth;
  let token: string;
  const logs: string[] = [];

  beforeAll(async () => {
    auth = await testAuth();
    app = await createServiceApp({
      name: 'redaction-demo',
      version: '1.0.0',
      authenticator: auth.authenticator,
      readiness: () => Promise.resolve(true),
      logger: { write: (line: string) => logs.push(line) },
      rateLimit: false,
      redactPaths: ['*.*.shelterCode'],
    });
    const access = { roles: ['caseworker'] } as const;
    // A service that logs what it should not: redaction is the second line.
    app.post('/people', { schema: { body: personBody }, config: { access } }, (request) => {
      const { name, notes, address, shelterCode } = request.body;
      request.log.info({ person: { name, notes, address, detail: { shelterCode } } }, 'admitting');
      request.log.info(
        {
          a: { b: { c: { d: { e: { f: { familyName: CANARY.deep } } } } } },
          household: [{ fullName: CANARY.listed, age: 7 }],
          contact: { Email: CANARY.capitalised },
        },
        'nested',
      );
      request.log.child({ name: CANARY.binding }).info('child');
      return { ok: true };
    });
    // An error whose message quotes the input, as database drivers do.
    app.post('/people/fail', { schema: { body: personBody }, config: { access } }, (request) => {
      const error = new Error(`duplicate key value (name)=(${request.body.name})`);
      request.log.error(error);
      throw error;
    });
    app.get(
      '/people/:personId',
      { schema: { params: z.object({ personId: z.uuid() }) }, config: { access } },
      () => ({ ok: true }),
    );
    await app.ready();
    token = await auth.tokenFor({ roles: ['caseworker'] });
  });
  afterAll(async () => {
    await app.close();
  });

  function personRequest(url: string) {
    return http(app)
      .post(`${url}?name=${CANARY.query}`, {
        name: CANARY.name,
        notes: CANARY.notes,
        address: { street: CANARY.street },
        extra: CANARY.extra,
        shelterCode: CANARY.shelterCode,
      })
      .as(token)
      .header('cookie', `session=${CANARY.cookie}`)
      .header('x-phone', CANARY.header)
      .header('x-request-id', CANARY.requestId);
  }

  it('keeps personal data, tokens and bodies out of the log, on success and on failure', async () => {
    await personRequest('/people').expect(200);
    await personRequest('/people/fail').expectProblem(500, 'INTERNAL');
    await http(app)
      .get(`/people/${CANARY.uuidField}?name=${CANARY.query}`)
      .as(token)
      .expectProblem(400, 'VALIDATION_FAILED');
    await http(app)
      .get(`/people/${randomUUID()}`)
      .as(`${token}x`)
      .expectProblem(401, 'UNAUTHENTICATED');

    const log = logs.join('');
    // The log did record these requests: the assertions below are about content, not silence.
    expect(log).toContain('"msg":"admitting"');
    expect(log).toContain('"household":[{"fullName":"[REDACTED]","age":7}]');
    expect(log).toContain('"msg":"child"');
    expect(log).toContain('"msg":"request failed"');
    expect(log).toContain('"statusCode":500');
    expect(log).toContain('[REDACTED]');
    for (const canary of [...Object.values(CANARY), token]) {
      expect(log, `canary ${canary} reached the log`).not.toContain(canary);
    }
  });

  it('logs the route template, never the path or the query string', () => {
    const log = logs.join('');
    expect(log).toContain('"route":"/people/:personId"');
    expect(log).not.toContain('"url"');
    expect(log).not.toContain('?name=');
  });

  it('logs an unexpected error by class, code and stack frames', () => {
    const failure = logs
      .map((line) => JSON.parse(line) as { msg?: string; err?: { type: string; stack?: string } })
      .find((line) => line.msg === 'request failed');
    expect(failure?.err?.type).toBe('Error');
    expect(failure?.err?.stack).toMatch(/^\s+at /);
  });
});
