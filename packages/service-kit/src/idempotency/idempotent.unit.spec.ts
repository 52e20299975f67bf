import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const admissionsOf = (journeyId: string) => `/journeys/${journeyId}/admissions`;
const body = () => ({ shelterId: randomUUID(), name: 'Ana', notes: 'arrived at night' });

describe('Idempotency-Key', () => {
  describe('a command sent twice with the same key and the same request', () => {
    it('runs once and replays the first answer: status, ETag, Location and body', async () => {
      const { app, auth, admissions } = await demoApp();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      const url = admissionsOf(randomUUID());
      const command = body();
      const key = randomUUID();
      const first = await http(app)
        .post(url, command)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      const retry = await http(app)
        .post(url, command)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      expect(admissions()).toBe(1);
      expect(retry.text).toBe(first.text);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      await app.close();
    });

    it('treats a body with its members in another order as the same request', async () => {
      const { app, auth, admissions } = await demoApp();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      const url = admissionsOf(randomUUID());
      const { shelterId, name, notes } = body();
      const key = randomUUID();
      await http(app)
        .post(url, { shelterId, name, notes })
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      const retry = await http(app)
        .post(url, { notes, name, shelterId })
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(admissions()).toBe(1);
      await app.close();
    });
  });

  it('runs every time without a key', async () => {
    const { app, auth, admissions } = await demoApp();
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    const url = admissionsOf(randomUUID());
    const command = body();
    await http(app).post(url, command).as(token).expect(201);
    await http(app).post(url, command).as(token).expect(201);
    expect(admissions()).toBe(2);
    await app.close();
  });

  describe('the same key with a different request', () => {
    it('is 422 IDEMPOTENCY_KEY_REUSED for another body, and runs nothing', async () => {
      const { app, auth, admissions } = await demoApp();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      const url = admissionsOf(randomUUID());
      const key = randomUUID();
      await http(app).post(url, body()).as(token).header('idempotency-key', key).expect(201);
      await http(app)
        .post(url, body())
        .as(token)
        .header('idempotency-key', key)
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
      expect(admissions()).toBe(1);
      await app.close();
    });

    it('is 422 IDEMPOTENCY_KEY_REUSED for another URL on the same route', async () => {
      const { app, auth } = await demoApp();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      const key = randomUUID();
      const command = body();
      await http(app)
        .post(admissionsOf(randomUUID()), command)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      await http(app)
        .post(admissionsOf(randomUUID()), command)
        .as(token)
        .header('idempotency-key', key)
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
      await app.close();
    });
  });

  it('is scoped to the user: two users may pick the same key', async () => {
    const { app, auth, admissions } = await demoApp();
    const ana = await auth.tokenFor({ sub: 'ana', roles: ['caseworker'] });
    const ben = await auth.tokenFor({ sub: 'ben', roles: ['caseworker'] });
    const url = admissionsOf(randomUUID());
    const command = body();
    await http(app).post(url, command).as(ana).header('idempotency-key', 'key-1').expect(201);
    const other = await http(app)
      .post(url, command)
      .as(ben)
      .header('idempotency-key', 'key-1')
      .expect(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(admissions()).toBe(2);
    await app.close();
  });

  it('is 409 IDEMPOTENCY_KEY_IN_PROGRESS while the first request is still running', async () => {
    const entered = deferred();
    const gate = deferred();
    const { app, auth, admissions } = await demoApp({
      duringAdmission: () => {
        entered.resolve();
        return gate.promise;
      },
    });
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    const url = admissionsOf(randomUUID());
    const command = body();
    const key = randomUUID();
    const first = http(app).post(url, command).as(token).header('idempotency-key', key).send();
    await entered.promise;
    const problem = await http(app)
      .post(url, command)
      .as(token)
      .header('idempotency-key', key)
      .expectProblem(409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(problem.detail).toMatch(/not finished/);
    gate.resolve();
    expect((await first).status).toBe(201);
    const replay = await http(app)
      .post(url, command)
      .as(token)
      .header('idempotency-key', key)
      .expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(admissions()).toBe(1);
    await app.close();
  });

  it('does not store an error answer: a retry runs again', async () => {
    const { app, auth, admissions } = await demoApp();
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    const url = admissionsOf(randomUUID());
    const command = body();
    const key = randomUUID();
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      await http(app)
        .post(url, command)
        .as(token)
        .header('idempotency-key', key)
        .header('if-match', '"1"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      expect(admissions()).toBe(attempt);
    }
    await app.close();
  });

  it.each(['', 'a b', 'x'.repeat(201), 'clé-ü'])(
    'a malformed key (%j) is VALIDATION_FAILED on headers.idempotency-key',
    async (key) => {
      const { app, auth, admissions } = await demoApp();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      const problem = await http(app)
        .post(admissionsOf(randomUUID()), body())
        .as(token)
        .header('idempotency-key', key)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('headers.idempotency-key');
      expect(admissions()).toBe(0);
      await app.close();
    },
  );

  it('accepts a key of 200 visible ASCII characters', async () => {
    const { app, auth } = await demoApp();
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    await http(app)
      .post(admissionsOf(randomUUID()), body())
      .as(token)
      .header('idempotency-key', '!~'.repeat(100))
      .expect(201);
    await app.close();
  });
});
