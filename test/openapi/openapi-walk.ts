/** The parts of an OpenAPI 3.1 document the specs read. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: Record<string, unknown>;
}

export interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
  responses: Record<string, { content?: Record<string, unknown>; $ref?: string }>;
}

export interface Schema {
  readonly description?: string;
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

export function operationsOf(
  document: OpenApiDocument,
): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

function propertiesOf(schema: Schema | undefined): Schema[] {
  if (schema === undefined) return [];
  const own = Object.values(schema.properties ?? {});
  const nested = [
    ...own,
    ...(schema.items === undefined ? [] : [schema.items]),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.allOf ?? []),
  ];
  return [...own, ...nested.flatMap(propertiesOf)];
}

/** Every property of every request body, nested ones included. */
export function bodyProperties(document: OpenApiDocument): Schema[] {
  return operationsOf(document).flatMap(({ operation }) =>
    Object.values(operation.requestBody?.content ?? {}).flatMap((media) =>
      propertiesOf(media.schema),
    ),
  );
}
