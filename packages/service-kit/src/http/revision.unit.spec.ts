import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type DemoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';
import { revisionEtag } from './revision.js';

describe('ETag and If-Match', () => {
  let demo: DemoApp;
  let token: string;
  const body = { shelterId: randomUUID(), name: 'Ana' };
  const admissions = () => `/journeys/${randomUUID()}/admissions`;

  beforeAll(async () => {
    demo = await demoApp();
    token = await demo.auth.tokenFor({ roles: ['shelter_staff'] });
  });
  afterAll(async () => {
    await demo.app.close();
  });

  it('the ETag of a revision is the strong ETag "<revision>"', () => {
    expect(revisionEtag(0)).toBe('"0"');
    expect(revisionEtag(12)).toBe('"12"');
  });

  it('a command answers with the new revision in ETag', async () => {
    const response = await http(demo.app).post(admissions(), body).as(token).expect(201);
    expect(response.headers.etag).toBe('"4"');
  });

  it('an If-Match on the current revision lets the command through', async () => {
    await http(demo.app).post(admissions(), body).header('if-match', '"3"').as(token).expect(201);
  });

  it('an If-Match on an older revision is 412', async () => {
    await http(demo.app)
      .post(admissions(), body)
      .header('if-match', '"1"')
      .as(token)
      .expectProblem(412, 'PRECONDITION_FAILED');
  });

  it.each(['3', 'W/"3"', '*', '"3", "4"', '"-1"', '"03"', '"abc"', '""'])(
    'a malformed If-Match (%s) is VALIDATION_FAILED on headers.if-match',
    async (header) => {
      const before = demo.admissions();
      const problem = await http(demo.app)
        .post(admissions(), body)
        .header('if-match', header)
        .as(token)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('headers.if-match');
      expect(demo.admissions()).toBe(before);
    },
  );

  it('a route that declares the header in its schema names the same field', async () => {
    const caseworker = await demo.auth.tokenFor({ roles: ['caseworker'] });
    const problem = await http(demo.app)
      .post(`/journeys/${randomUUID()}/consents`, { consent: true })
      .header('if-match', 'W/"3"')
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
    expect(problem.field).toBe('headers.if-match');
  });
});
