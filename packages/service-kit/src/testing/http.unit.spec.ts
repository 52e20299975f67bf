import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type DemoApp } from '../spec-support/demo-app.js';
import { http } from './http.js';

describe('the http spec helper', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await demoApp();
  });
  afterAll(async () => {
    await demo.app.close();
  });

  it('returns the parsed body and the headers', async () => {
    const response = await http(demo.app).get('/public/ping').expect(200);
    expect(response.body).toEqual({ pong: true });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('fails a spec when the status is not the expected one', async () => {
    await expect(http(demo.app).get('/public/ping').expect(201)).rejects.toThrow();
  });

  it('fails a spec when the answer is not the expected problem', async () => {
    await expect(
      http(demo.app).get('/public/ping').expectProblem(200, 'NOT_FOUND'),
    ).rejects.toThrow();
    await expect(http(demo.app).get('/nowhere').expectProblem(404, 'FORBIDDEN')).rejects.toThrow();
    await expect(http(demo.app).get('/nowhere').expectProblem(400, 'NOT_FOUND')).rejects.toThrow();
  });

  it('sends the token as a bearer token', async () => {
    const token = await demo.auth.tokenFor({ sub: 'user-9', roles: ['auditor'] });
    const response = await http(demo.app).get('/whoami').as(token).expect(200);
    expect(response.body).toMatchObject({ userId: 'user-9' });
  });
});
