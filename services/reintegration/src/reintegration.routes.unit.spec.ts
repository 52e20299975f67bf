import { expectDeclaredAccessEnforced } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Generated from the route declarations: every route that is not public answers 401 without a
 * token and 403 to a token whose roles it does not declare, before looking at anything else.
 */
describe('every route declares who may call it, and means it', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await testWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('401 without a token, 403 for each role not declared, on every route', async () => {
    await expectDeclaredAccessEnforced({
      app: world.app,
      tokenFor: (roles) => world.token(roles, ORGS.outreach),
      freshId: v7,
      minRoutes: 16,
    });
  });
});
