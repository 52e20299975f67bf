import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type DemoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; license?: { name: string } };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
}

interface Operation {
  operationId?: string;
  security?: unknown[];
  description?: string;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: JsonSchema }> }>;
}

interface JsonSchema {
  type?: string;
  format?: string;
  $ref?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
}

describe('the OpenAPI document', () => {
  let demo: DemoApp;
  let document: OpenApiDocument;
  beforeAll(async () => {
    demo = await demoApp();
    document = (await http(demo.app).get('/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(async () => {
    await demo.app.close();
  });

  it('is OpenAPI 3.1 named after the service', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({
      title: 'demo-service',
      version: '1.2.3',
      license: { name: 'UNLICENSED' },
    });
  });

  it("lists the service's routes and the probes, not the kit's own documents", () => {
    expect(Object.keys(document.paths).sort()).toEqual([
      '/health',
      '/journeys/{journeyId}',
      '/journeys/{journeyId}/admissions',
      '/journeys/{journeyId}/consents',
      '/journeys/{journeyId}/events',
      '/journeys/{journeyId}/exits',
      '/public/boom',
      '/public/ping',
      '/ready',
      '/whoami',
    ]);
  });

  it('describes bodies, parameters and responses from the zod schemas', () => {
    const admit = document.paths['/journeys/{journeyId}/admissions']?.post;
    const body = admit?.requestBody?.content['application/json']?.schema;
    expect(body?.required).toEqual(['shelterId', 'name']);
    expect(body?.properties?.shelterId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(admit?.parameters).toContainEqual(
      expect.objectContaining({ in: 'path', name: 'journeyId' }),
    );
    const created = admit?.responses['201']?.content?.['application/json']?.schema;
    expect(Object.keys(created?.properties ?? {})).toEqual(['journeyId', 'revision']);
  });

  it('documents the bearer scheme, who may call each route, and the problem answer', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const admit = document.paths['/journeys/{journeyId}/admissions']?.post;
    expect(admit?.security).toEqual([{ bearerAuth: [] }]);
    expect(admit?.description).toContain('Roles: caseworker, shelter_staff.');
    expect(document.paths['/public/ping']?.get?.security).toEqual([]);
    expect(admit?.responses.default).toEqual({ $ref: '#/components/responses/Problem' });
    expect(admit?.responses['4XX']).toEqual({ $ref: '#/components/responses/Problem' });
    expect(document.components.schemas.Problem?.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'code', 'detail', 'requestId']),
    );
  });

  it('gives every operation an id from its method and route template', () => {
    expect(document.paths['/journeys/{journeyId}/admissions']?.post?.operationId).toBe(
      'postJourneysByJourneyIdAdmissions',
    );
    expect(document.paths['/health']?.get?.operationId).toBe('getHealth');
  });

  it('documents the probes as public with their answers', () => {
    const ready = document.paths['/ready']?.get;
    expect(ready?.security).toEqual([]);
    const answer = ready?.responses['200']?.content?.['application/json']?.schema;
    expect(Object.keys(answer?.properties ?? {})).toEqual(['status', 'checks']);
  });
});

describe('the API docs UI', () => {
  it('answers HTML at /docs', async () => {
    const demo = await demoApp();
    const response = await http(demo.app).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
    await demo.app.close();
  });
});
