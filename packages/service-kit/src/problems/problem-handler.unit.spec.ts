import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type DemoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';

describe('problem+json answers', () => {
  let demo: DemoApp;
  let token: string;
  const journeyId = randomUUID();
  const admissions = `/journeys/${journeyId}/admissions`;

  beforeAll(async () => {
    demo = await demoApp({ bodyLimit: 1024 });
    token = await demo.auth.tokenFor({ roles: ['caseworker'] });
  });
  afterAll(async () => {
    await demo.app.close();
  });

  describe('a request that fails its schema', () => {
    it('names every offending field, the first one at the top', async () => {
      const problem = await http(demo.app)
        .post(admissions, { shelterId: 'not-a-uuid', name: 42 })
        .as(token)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.shelterId');
      expect(problem.errors?.map((error) => error.field)).toEqual(['body.shelterId', 'body.name']);
      expect(problem.errors?.map((error) => error.message)).toEqual([
        'must be a UUID (like 0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a)',
        'must be a string, not number',
      ]);
      expect(problem.detail).toBe(
        'body.shelterId: must be a UUID (like 0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a) (and 1 more)',
      );
    });

    it('names a missing field', async () => {
      const problem = await http(demo.app)
        .post(admissions, { shelterId: randomUUID() })
        .as(token)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.name');
      expect(problem.detail).toBe('body.name: is required: a string');
    });

    it('names a bad path parameter', async () => {
      const problem = await http(demo.app)
        .get('/journeys/not-a-journey')
        .as(token)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('params.journeyId');
    });
  });

  it('answers an unparseable body with INVALID_JSON', async () => {
    await http(demo.app)
      .post(admissions, '{"shelterId": ')
      .header('content-type', 'application/json')
      .as(token)
      .expectProblem(400, 'INVALID_JSON');
  });

  it('answers a body over the limit with PAYLOAD_TOO_LARGE', async () => {
    await http(demo.app)
      .post(admissions, { shelterId: randomUUID(), name: 'x'.repeat(2000) })
      .as(token)
      .expectProblem(413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a body that is not JSON with UNSUPPORTED_MEDIA_TYPE', async () => {
    await http(demo.app)
      .post(admissions, 'name=Ana')
      .header('content-type', 'text/plain')
      .as(token)
      .expectProblem(415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown route with NOT_FOUND as problem+json', async () => {
    const problem = await http(demo.app).get('/nowhere?q=1').expectProblem(404, 'NOT_FOUND');
    expect(problem.instance).toBe('/nowhere');
  });

  describe('a handler that throws an unexpected error', () => {
    it('answers INTERNAL without the message, a stack or SQL', async () => {
      const response = await http(demo.app).post('/public/boom', { name: 'x' }).send();
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'INTERNAL', status: 500 });
      expect(response.text).not.toMatch(/SELECT|secret|at .*\.ts|Error:/);
    });
  });

  describe('a domain refusal', () => {
    it('of kind precondition is 422 with the domain code and field', async () => {
      const problem = await http(demo.app)
        .post(`/journeys/${journeyId}/consents`, { consent: false })
        .as(token)
        .expectProblem(422, 'CONSENT_REQUIRED');
      expect(problem).toMatchObject({
        type: 'urn:waypoint:problem:CONSENT_REQUIRED',
        field: 'body.consent',
        detail: 'The person has not consented to share data with this organisation',
      });
    });

    it('of kind conflict is 409 with the domain code', async () => {
      const staff = await demo.auth.tokenFor({ roles: ['shelter_staff'] });
      await http(demo.app)
        .post(`/journeys/${journeyId}/exits`)
        .as(staff)
        .expectProblem(409, 'SHELTER_ALREADY_EXITED');
    });
  });

  it('answers a stale If-Match with PRECONDITION_FAILED and both revisions', async () => {
    const problem = await http(demo.app)
      .post(admissions, { shelterId: randomUUID(), name: 'Ana' })
      .header('if-match', '"2"')
      .as(token)
      .expectProblem(412, 'PRECONDITION_FAILED');
    expect(problem).toMatchObject({ expectedRevision: 2, actualRevision: 3 });
  });

  it("answers the event store's refusal of an input with 400 and its field", async () => {
    const problem = await http(demo.app)
      .post(`/journeys/${journeyId}/events`)
      .as(token)
      .expectProblem(400, 'INVALID_EVENT');
    expect(problem.field).toBe('events[0].data.name');
  });

  it('gives every problem its type, title, status, code, detail, instance and requestId', async () => {
    const response = await http(demo.app)
      .get('/journeys/not-a-journey?name=Ana')
      .header('x-request-id', '0f0e0d0c-0b0a-4908-8706-050403020100')
      .as(token)
      .send();
    expect(response.body).toEqual({
      type: 'urn:waypoint:problem:VALIDATION_FAILED',
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: expect.stringMatching(/^params\.journeyId: /) as unknown,
      instance: '/journeys/not-a-journey',
      requestId: '0f0e0d0c-0b0a-4908-8706-050403020100',
      field: 'params.journeyId',
      errors: [{ field: 'params.journeyId', message: expect.any(String) as unknown }],
    });
  });
});

describe('request ids', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await demoApp();
  });
  afterAll(async () => {
    await demo.app.close();
  });

  it('echo a well-formed x-request-id', async () => {
    const id = randomUUID();
    const response = await http(demo.app).get('/public/ping').header('x-request-id', id).send();
    expect(response.headers['x-request-id']).toBe(id);
  });

  it('replace one that could carry text with a fresh id', async () => {
    const response = await http(demo.app)
      .get('/public/ping')
      .header('x-request-id', 'Ana Maria Lopez')
      .send();
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('are generated when absent, one per request', async () => {
    const first = await http(demo.app).get('/public/ping').send();
    const second = await http(demo.app).get('/public/ping').send();
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });
});

describe('security headers', () => {
  it('are set by helmet on every answer', async () => {
    const demo = await demoApp();
    const response = await http(demo.app).get('/public/ping').send();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['content-security-policy']).toBeDefined();
    await demo.app.close();
  });
});
