import type { Role } from '@waypoint/contracts';
import { describe, expect, it } from 'vitest';
import { createServiceApp, type ServiceApp } from '../app/create-service-app.js';
import { demoApp } from '../spec-support/demo-app.js';
import { testAuth } from '../testing/test-auth.js';
import { routeAccess } from './access.js';

async function bareApp(): Promise<ServiceApp> {
  const auth = await testAuth();
  return createServiceApp({
    name: 'bare',
    version: '0.0.0',
    authenticator: auth.authenticator,
    readiness: () => Promise.resolve(true),
    logger: { level: 'silent' },
    rateLimit: false,
  });
}

describe('declaring who may call a route', () => {
  it('refuses at registration a route that declares nothing', async () => {
    const app = await bareApp();
    expect(() => app.get('/journeys', () => ({}))).toThrow(
      /GET \/journeys declares no config\.access/,
    );
    await app.close();
  });

  it('refuses it inside a plugin too, so the service cannot start', async () => {
    const app = await bareApp();
    const referrals = (plugin: ServiceApp): Promise<void> =>
      new Promise((resolve) => {
        plugin.post('/referrals', () => ({}));
        resolve();
      });
    await expect(app.register(referrals)).rejects.toThrow(
      /POST \/referrals declares no config\.access/,
    );
  });

  it('refuses an empty list of roles', async () => {
    const app = await bareApp();
    expect(() => app.get('/nobody', { config: { access: { roles: [] } } }, () => ({}))).toThrow(
      /at least one role/,
    );
    await app.close();
  });

  it('refuses a role that does not exist', async () => {
    const app = await bareApp();
    const roles = ['caseworker', 'wizard'] as unknown as Role[];
    expect(() => app.get('/magic', { config: { access: { roles } } }, () => ({}))).toThrow(
      /unknown roles wizard/,
    );
    await app.close();
  });
});

describe('routeAccess', () => {
  it('lists every route with its access, the kit routes as public', async () => {
    const { app } = await demoApp({ metricsCredential: 'spec-metrics-credential-0123456789' });
    const table = routeAccess(app);
    expect(table).toContainEqual({
      method: 'POST',
      url: '/journeys/:journeyId/admissions',
      access: { roles: ['caseworker', 'shelter_staff'] },
    });
    expect(table).toContainEqual({
      method: 'GET',
      url: '/public/ping',
      access: { public: true },
    });
    for (const url of ['/health', '/ready', '/metrics', '/openapi.json', '/docs']) {
      expect(table).toContainEqual({ method: 'GET', url, access: { public: true } });
    }
    const secured = table.filter((entry) => 'roles' in entry.access).map((entry) => entry.url);
    expect(secured).not.toContain('/health');
    await app.close();
  });
});
