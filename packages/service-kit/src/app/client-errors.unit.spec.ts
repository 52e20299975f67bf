import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoApp } from '../spec-support/demo-app.js';
import type { ServiceApp } from './create-service-app.js';

let app: ServiceApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Sends raw bytes to a listening app and returns the whole answer once the server closes. */
async function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
  const started = (await demoApp()).app;
  app = started;
  await started.listen({ host: '127.0.0.1', port: 0 });
  const address = started.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('end', () => {
      resolve(received);
    });
    socket.on('error', reject);
    socket.write(request);
  });
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head.toLowerCase(), body };
}

describe('requests the HTTP parser refuses before any route', () => {
  it('oversized headers: 431 HEADERS_TOO_LARGE as problem+json', async () => {
    const answer = await raw(
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      type: 'urn:waypoint:problem:HEADERS_TOO_LARGE',
    });
  });

  it('an unknown HTTP method: 400 BAD_REQUEST as problem+json', async () => {
    const answer = await raw('FOO /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('never echoes the request bytes back', async () => {
    const answer = await raw(`G@T /health?secret=s3cr3t HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('s3cr3t');
  });
});

describe('caching', () => {
  it('every answer says Cache-Control: no-store, refusals included', async () => {
    const { app: started, auth } = await demoApp();
    app = started;
    const token = await auth.tokenFor({ roles: ['caseworker'] });
    const ok = await started.inject({
      url: '/journeys/6b7a1f0e-9a55-4a3e-8e7d-0f3f7f1b2c3d',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const refused = await started.inject({ url: '/journeys/6b7a1f0e-9a55-4a3e-8e7d-0f3f7f1b2c3d' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});
