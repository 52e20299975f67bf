import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, type ServiceApp } from '../app/create-service-app.js';
import { http } from '../testing/http.js';
import { testAuth, type TestAuth } from '../testing/test-auth.js';
import { scopedToOrganisations } from './organisations.js';

const ORGS = {
  registered: '0193d000-0000-7000-8000-000000000001',
  dpoOffice: '0193d000-0000-7000-8000-000000000002',
  invented: '0193d000-0000-7000-8000-000000000003',
};

describe('tokens are scoped to the organisations the installation knows', () => {
  let auth: TestAuth;
  let app: ServiceApp;
  beforeAll(async () => {
    auth = await testAuth();
    const directory = new Set([ORGS.registered]);
    app = await createServiceApp({
      name: 'scoped',
      version: '0.0.0',
      authenticator: scopedToOrganisations(auth.authenticator, {
        dpoOrgIds: new Set([ORGS.dpoOffice]),
        isKnown: (orgId) => Promise.resolve(directory.has(orgId)),
      }),
      readiness: () => Promise.resolve(true),
      logger: { level: 'silent' },
      rateLimit: false,
    });
    app.get(
      '/whoami',
      { config: { access: { roles: ['caseworker', 'data_protection_officer'] } } },
      (request) => ({ orgId: request.principal.orgId, roles: request.principal.roles }),
    );
    app.get('/dpo-only', { config: { access: { roles: ['data_protection_officer'] } } }, () => ({
      ok: true,
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const token = (org: string, roles: ('caseworker' | 'data_protection_officer')[]) =>
    auth.tokenFor({ sub: `user-${org.slice(-1)}`, org, roles });

  it('accepts a token of an organisation in the directory', async () => {
    await http(app)
      .get('/whoami')
      .as(await token(ORGS.registered, ['caseworker']))
      .expect(200);
  });

  it('refuses a validly signed token naming an organisation nobody registered: 403 problem+json', async () => {
    const problem = await http(app)
      .get('/whoami')
      .as(await token(ORGS.invented, ['caseworker']))
      .expectProblem(403, 'ORGANISATION_UNKNOWN');
    expect(problem.detail).toMatch(/not in the directory/);
  });

  it('a DPO of a configured DPO organisation is a DPO, known before the directory holds it', async () => {
    await http(app)
      .get('/dpo-only')
      .as(await token(ORGS.dpoOffice, ['data_protection_officer']))
      .expect(200);
  });

  it('a DPO token of another organisation is not a DPO', async () => {
    const dpoElsewhere = await token(ORGS.registered, ['data_protection_officer']);
    await http(app).get('/dpo-only').as(dpoElsewhere).expectProblem(403, 'FORBIDDEN');
    const withCaseworker = await token(ORGS.registered, ['caseworker', 'data_protection_officer']);
    const answer = await http(app).get('/whoami').as(withCaseworker).expect(200);
    expect(answer.body).toEqual({ orgId: ORGS.registered, roles: ['caseworker'] });
    await http(app).get('/dpo-only').as(withCaseworker).expectProblem(403, 'FORBIDDEN');
  });
});
