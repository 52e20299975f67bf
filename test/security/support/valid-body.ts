import { v4 } from 'uuid';

/**
 * A JSON Schema (the subset the zod provider emits for request bodies): enough to build one value
 * the route's own validation accepts, so that a request reaches the route's access checks.
 */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
}

/** One value per pattern the contracts use; a new pattern fails loudly here, not as a 400. */
const BY_PATTERN: Readonly<Record<string, () => string>> = {
  '^x-[a-z0-9]+(?:-[a-z0-9]+)*$': () => 'x-sample',
  '^[A-Z]{2}$': () => 'NL',
  '^[A-Z]{3}$': () => 'EUR',
  '^[a-z]{2,3}$': () => 'en',
  '^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$': () => 'NL',
  '^[A-Za-z0-9_-]*$': () => 'sample',
  '^[a-z0-9_-]{1,64}$': () => 'sample',
};

/**
 * Rules a JSON Schema cannot say: of each group, at least one property must be given
 * (`occurredOnOrAt` in the contracts). The sample gives the first the schema has.
 */
export const AT_LEAST_ONE_OF: readonly (readonly string[])[] = [['occurredAt', 'occurredOn']];

/** The required properties, and the first of each at-least-one group none of which is required. */
export function propertiesToGive(schema: JsonSchema): string[] {
  const required = [...(schema.required ?? [])];
  const present = Object.keys(schema.properties ?? {});
  for (const group of AT_LEAST_ONE_OF) {
    const given = group.filter((name) => present.includes(name));
    if (given.length > 0 && !given.some((name) => required.includes(name))) {
      required.push(given[0] ?? '');
    }
  }
  return required;
}

const DATE = '2024-01-15';
const DATE_TIME = '2024-01-15T10:00:00Z';

function stringOf(schema: JsonSchema): string {
  if (schema.format === 'uuid') return v4();
  if (schema.format === 'date') return DATE;
  if (schema.format === 'date-time') return DATE_TIME;
  if (schema.format === 'email') return 'someone@example.org';
  if (schema.pattern !== undefined) {
    if (schema.pattern.includes('T(?:')) return DATE_TIME;
    if (schema.pattern.includes('-02-29')) return DATE;
    const make = BY_PATTERN[schema.pattern];
    if (make === undefined) throw new Error(`no sample for the pattern ${schema.pattern}`);
    return make();
  }
  const length = Math.max(schema.minLength ?? 1, Math.min(6, schema.maxLength ?? 6));
  return 'sample'.padEnd(length, 'x').slice(0, Math.max(length, 1));
}

const unresolved = (ref: string): JsonSchema => {
  throw new Error(`no resolver for ${ref}`);
};

/** Client-side ciphertext is refused at the door, so its branch is never the sample. */
const isCiphertext = (schema: JsonSchema): boolean => schema.properties?.$enc !== undefined;

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return (schema.type as readonly string[])[0];
  return schema.type as string | undefined;
}

/**
 * A minimal value of the schema: required properties only, the fewest items allowed, the first
 * enum member, the first plain branch of a union. `index` varies items of one array.
 */
export function sampleOf(
  schema: JsonSchema,
  index = 0,
  resolve: (ref: string) => JsonSchema = unresolved,
): unknown {
  if (schema.$ref !== undefined) return sampleOf(resolve(schema.$ref), index, resolve);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[index % schema.enum.length];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) {
    const branch = branches.find((candidate) => !isCiphertext(candidate)) ?? branches[0];
    if (branch === undefined) throw new Error('empty union');
    return sampleOf(branch, index, resolve);
  }
  if (schema.allOf !== undefined) {
    return Object.assign(
      {},
      ...schema.allOf.map((part) => sampleOf(part, index, resolve)),
    ) as unknown;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const name of propertiesToGive(schema)) {
        const property = schema.properties?.[name];
        if (property === undefined) throw new Error(`required ${name} has no schema`);
        body[name] = sampleOf(property, index, resolve);
      }
      return body;
    }
    case 'array': {
      if (schema.items === undefined) return [];
      const items = schema.items;
      return Array.from({ length: schema.minItems ?? 0 }, (_unused, at) =>
        sampleOf(items, at, resolve),
      );
    }
    case 'string':
      return stringOf(schema);
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

export interface OpenApiDocument {
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
  readonly paths: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          { readonly requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
        >
      >
    >
  >;
}

/** Fastify's `/journeys/:journeyId` as OpenAPI writes it, `/journeys/{journeyId}`. */
const openApiPath = (url: string): string => url.replace(/:([a-zA-Z]+)/g, '{$1}');

/**
 * A schema-valid body for every route with a JSON request body, keyed `METHOD url` (Fastify's
 * url), from the app's own OpenAPI document; `overrides` replace fields that the schema cannot
 * express (a cross-field rule), per route.
 */
export function validBodies(
  document: OpenApiDocument,
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): (method: string, url: string) => unknown {
  return (method, url) => {
    const operation = document.paths[openApiPath(url)]?.[method.toLowerCase()];
    const schema = operation?.requestBody?.content?.['application/json']?.schema;
    const key = `${method} ${url}`;
    if (schema === undefined) return overrides[key];
    const sample = sampleOf(schema, 0, (ref) => {
      const found = document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
      if (found === undefined) throw new Error(`unknown $ref ${ref}`);
      return found;
    });
    const extra = overrides[key];
    return extra === undefined ? sample : { ...(sample as Record<string, unknown>), ...extra };
  };
}
