import { expectDeclaredAccessEnforced } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { many } from './testing/facts-row.js';
import { testWorld, type TestWorld } from './testing/test-app.js';

describe('every route declares who may call it, and means it', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await testWorld(many(20));
  });
  afterAll(async () => {
    await world.close();
  });

  it('401 without a token, 403 for each role not declared, on every route', async () => {
    await expectDeclaredAccessEnforced({
      app: world.app,
      tokenFor: (roles) => world.token(roles),
      freshId: v7,
      minRoutes: 7,
    });
  });
});
