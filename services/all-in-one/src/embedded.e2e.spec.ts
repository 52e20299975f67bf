import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { http } from '@waypoint/service-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { allInOneConfigSchema } from './config.js';
import { startEmbedded } from './embedded.js';
import { demoToken } from './tokens.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-embedded-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const config = allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '3' });
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

interface Page {
  items: { journeyId: string; phase: string }[];
}

async function journeysSeenBy(
  embedded: Awaited<ReturnType<typeof startEmbedded>>,
  user: string,
): Promise<Page['items']> {
  const token = await demoToken(embedded.secrets.signingKey.privateJwk, user);
  const response = await http(embedded.app).get('/journeys?limit=200').as(token).expect(200);
  return (response.body as Page).items;
}

describe('the embedded process and its read models', () => {
  it('builds the read models in PGlite from the events, and keeps them across a restart', async () => {
    const first = await startEmbedded(config, quiet);
    try {
      expect(first.readModelsRebuilt).toBe('missing');
      const items = await journeysSeenBy(first, 'caseworker');
      expect(items.length).toBeGreaterThanOrEqual(3);
      const token = await demoToken(first.secrets.signingKey.privateJwk, 'caseworker');
      const journeyId = items[0]?.journeyId ?? '';
      const timeline = await http(first.app)
        .get(`/journeys/${journeyId}/timeline`)
        .as(token)
        .expect(200);
      expect((timeline.body as { entries: unknown[] }).entries.length).toBeGreaterThan(3);
    } finally {
      await first.close();
    }
    const second = await startEmbedded(config, quiet);
    try {
      expect(second.readModelsRebuilt).toBe(false);
      expect((await journeysSeenBy(second, 'caseworker')).length).toBeGreaterThanOrEqual(3);
    } finally {
      await second.close();
    }
  });

  it('rebuilds read models that are missing or damaged, and says so', async () => {
    rmSync(join(folder, 'readmodels'), { recursive: true, force: true });
    const rebuilt = await startEmbedded(config, quiet);
    const before = await journeysSeenBy(rebuilt, 'caseworker');
    await rebuilt.close();
    expect(rebuilt.readModelsRebuilt).toBe('missing');

    // Scribble over PGlite's control file: it no longer opens.
    const global = join(folder, 'readmodels', 'global');
    for (const file of readdirSync(global)) writeFileSync(join(global, file), 'not a page');
    const repaired = await startEmbedded(config, quiet);
    try {
      expect(repaired.readModelsRebuilt).toBe('damaged');
      expect(await journeysSeenBy(repaired, 'caseworker')).toEqual(before);
    } finally {
      await repaired.close();
    }
  });

  it('lets an administrator see the read models and rebuild one while it keeps serving', async () => {
    const embedded = await startEmbedded(config, quiet);
    try {
      const admin = await demoToken(embedded.secrets.signingKey.privateJwk, 'admin');
      const status = await http(embedded.app).get('/admin/projections').as(admin).expect(200);
      const { projections } = status.body as {
        projections: { name: string; status: string; lag: { eventsBehind: number } }[];
      };
      expect(projections.map((p) => [p.name, p.status])).toEqual(
        [
          'analytics_journey_facts',
          'audit_access_log',
          'audit_findings',
          'care_plan_progress',
          'journey',
          'legal_status',
          'reintegration_reviews',
          'shelter_occupancy',
        ].map((name) => [name, 'active']),
      );
      expect(projections.every((p) => p.lag.eventsBehind === 0)).toBe(true);
      const metrics = await embedded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${embedded.secrets.metricsCredential}` },
      });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toMatch(
        /projection_events_behind\{projection="journey",generation="\d+",status="active"\} 0/,
      );
      expect(metrics.body).toContain('projection_parked_events');
      const before = await journeysSeenBy(embedded, 'caseworker');
      const started = await http(embedded.app)
        .post('/admin/projections/journey/rebuild')
        .as(admin)
        .expect(202);
      const { generation } = started.body as { generation: number };
      await embedded.projections.whenActive('journey', generation, 60_000);
      expect(await journeysSeenBy(embedded, 'caseworker')).toEqual(before);
      await http(embedded.app)
        .post('/admin/projections/nothing/rebuild')
        .as(admin)
        .expectProblem(404, 'NOT_FOUND');
      await http(embedded.app)
        .get('/admin/projections')
        .as(await demoToken(embedded.secrets.signingKey.privateJwk, 'caseworker'))
        .expectProblem(403, 'FORBIDDEN');
    } finally {
      await embedded.close();
    }
  });
});
