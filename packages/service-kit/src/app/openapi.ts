import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../problems/problem.js';
import { finishDocument } from './openapi-document.js';

type Transform = typeof jsonSchemaTransform;

/**
 * Adds what the route's access declaration and the error handler mean for a client: the bearer
 * requirement (or none) and the problem+json answer, then lets the zod provider turn the zod
 * schemas into JSON Schema. Documentation only: validation and serialisation are untouched.
 */
const documentedTransform: Transform = (document) => {
  const access = document.route.config?.access;
  const schema: FastifySchema & Record<string, unknown> = { ...document.schema };
  if (access !== undefined) {
    if ('roles' in access) {
      schema.security = [{ bearerAuth: [] }];
      const roles = `Roles: ${access.roles.join(', ')}.`;
      schema.description =
        typeof schema.description === 'string' ? `${schema.description}\n\n${roles}` : roles;
    } else {
      schema.security = [];
    }
  }
  const response = (schema.response ?? {}) as Record<string, unknown>;
  schema.response = {
    ...response,
    default: {
      description: 'A problem (RFC 9457): see the error catalogue',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
    },
  };
  return jsonSchemaTransform({ ...document, schema });
};

/** OpenAPI 3.1 built from the routes' zod schemas, at /openapi.json, and the UI at /docs. */
export async function installOpenApi(
  app: FastifyInstance,
  service: { readonly name: string; readonly version: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: service.name,
        version: service.version,
        license: { name: 'UNLICENSED' },
      },
      servers: [{ url: '/', description: 'This service, where this document was fetched from' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    transform: documentedTransform,
    transformObject: (document) =>
      'openapiObject' in document ? finishDocument(document.openapiObject) : document.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { public: true } } }, () =>
    app.swagger(),
  );
}
