import fc from 'fast-check';

/**
 * The subset of JSON Schema the zod provider emits for request bodies (zod 4's JSON Schema, as
 * `/openapi.json` serves it): enough to generate values the route's own validation accepts.
 */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly description?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

export interface SchemaArbitraryOptions {
  /** Ids the app knows (the journey, its consents, organisations): uuids are often one of them. */
  readonly knownIds?: readonly string[];
  /** Resolves `#/components/schemas/...`. */
  readonly resolve?: (ref: string) => JsonSchema;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const letters = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), minLength: min, maxLength: max });

const day = 86_400_000;
/** Mostly past (what happened), now and then ahead (a review, an expiry). */
const isoDate = fc
  .oneof(
    {
      arbitrary: fc.date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date(Date.now() - day),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.date({
        min: new Date(Date.now() + day),
        max: new Date('2035-12-31T00:00:00Z'),
      }),
      weight: 1,
    },
  )
  .filter((date) => !Number.isNaN(date.getTime()));

/** Only what has happened: for fields the contracts bound at today or now. */
const pastIsoDate = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date(Date.now() - day),
  noInvalidDate: true,
});

/** Whether the schema says its value cannot lie ahead ("… to today", "… not in the future"). */
const boundedAtNow = (schema: JsonSchema): boolean =>
  /\bto (?:today|now)\b|not in the future/.test(schema.description ?? '');

/** One arbitrary per pattern the contracts use; a new pattern fails loudly, not as a 400. */
const BY_PATTERN: Readonly<Record<string, fc.Arbitrary<string>>> = {
  '^x-[a-z0-9]+(?:-[a-z0-9]+)*$': letters(LOWER, 1, 12).map((word) => `x-${word}`),
  '^[A-Z]{2}$': fc.constantFrom('NL', 'DE', 'BE', 'FR', 'RO', 'NG'),
  '^[A-Z]{3}$': fc.constantFrom('EUR', 'USD', 'RON'),
  '^[a-z]{2,3}$': fc.constantFrom('en', 'nl', 'ro', 'fr', 'yo'),
  '^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$': fc.constantFrom('NL', 'DE', 'BE-VLG', 'NL-NH'),
  '^[A-Za-z0-9_-]*$': letters(`${LOWER}0123456789_-`, 0, 16),
  '^[a-z0-9_-]{1,64}$': letters(`${LOWER}0123456789_-`, 1, 16),
};

function stringArbitrary(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
): fc.Arbitrary<string> {
  if (schema.format === 'uuid' || schema.pattern?.startsWith('^([0-9a-fA-F]{8}') === true) {
    const known = options.knownIds ?? [];
    return known.length === 0
      ? fc.uuid({ version: [4, 7] })
      : fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, fc.uuid({ version: [4, 7] }));
  }
  const dates = boundedAtNow(schema) ? pastIsoDate : isoDate;
  const dateTime = schema.format === 'date-time' || schema.pattern?.includes('T(?:') === true;
  if (dateTime) return dates.map((date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (schema.format === 'date' || schema.pattern?.includes('-02-29') === true) {
    return dates.map((date) => date.toISOString().slice(0, 10));
  }
  if (schema.format === 'email') return fc.constantFrom('someone@example.org');
  if (schema.pattern !== undefined) {
    const known = BY_PATTERN[schema.pattern];
    if (known === undefined) throw new Error(`no arbitrary for the pattern ${schema.pattern}`);
    return known;
  }
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? min + 24, min + 24));
  // Words, not whitespace: a blank text is refused by design and would stop at validation.
  return fc
    .array(letters(LOWER, 1, 8), { minLength: 1, maxLength: 4 })
    .map((words) => words.join(' '))
    .map((text) => text.padEnd(min, 'x').slice(0, max));
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1) + (integer ? 1 : 0.001);
  const max = schema.maximum ?? (schema.exclusiveMaximum ?? min + 1_001) - (integer ? 1 : 0.001);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, min + 1_000)) })
    : fc.double({ min, max: Math.min(max, min + 1_000), noNaN: true, noDefaultInfinity: true });
}

/**
 * Rules a JSON Schema cannot say: of each group, at least one property must be given
 * (`occurredOnOrAt` in the contracts). The first the schema has is always generated.
 */
const AT_LEAST_ONE_OF: readonly (readonly string[])[] = [['occurredAt', 'occurredOn']];

/** The keys always generated, and the keys never generated (the rest of an at-least-one group). */
function keysOf(schema: JsonSchema): { required: string[]; omitted: string[] } {
  const required = [...(schema.required ?? [])];
  const omitted: string[] = [];
  const present = Object.keys(schema.properties ?? {});
  for (const group of AT_LEAST_ONE_OF) {
    const given = group.filter((name) => present.includes(name));
    if (given.length > 0 && !given.some((name) => required.includes(name))) {
      required.push(given[0] ?? '');
      omitted.push(...given.slice(1));
    }
  }
  return { required, omitted };
}

/** Client-side ciphertext is refused at the door by design: never generated. */
const isCiphertext = (schema: JsonSchema): boolean => schema.properties?.$enc !== undefined;

const typeOf = (schema: JsonSchema): string | undefined =>
  typeof schema.type === 'string' ? schema.type : schema.type?.[0];

/**
 * Values that a schema accepts: every required property, optional ones now and then, arrays from
 * their fewest items, the plain branches of unions. Cross-field rules the schema cannot express
 * are left to the route (a refusal there is what a fuzz of the deciders wants to see).
 */
export function arbitraryOf(
  schema: JsonSchema,
  options: SchemaArbitraryOptions = {},
): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) {
    if (options.resolve === undefined) throw new Error(`no resolver for ${schema.$ref}`);
    return arbitraryOf(options.resolve(schema.$ref), options);
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) {
    const plain = branches.filter((branch) => !isCiphertext(branch));
    // A bound said once on the union (`occurredAt`: an instant or a day, not in the future) holds
    // for every branch.
    const described = (branch: JsonSchema): JsonSchema =>
      branch.description === undefined && schema.description !== undefined
        ? { ...branch, description: schema.description }
        : branch;
    return fc.oneof(...plain.map((branch) => arbitraryOf(described(branch), options)));
  }
  switch (typeOf(schema)) {
    case 'object': {
      const { required, omitted } = keysOf(schema);
      const properties = Object.entries(schema.properties ?? {}).filter(
        ([name]) => name !== '$enc' && !omitted.includes(name),
      );
      if (properties.length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(
          letters(LOWER, 1, 8),
          arbitraryOf(schema.additionalProperties, options),
          {
            maxKeys: 3,
          },
        );
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of properties) model[name] = arbitraryOf(property, options);
      return fc.record(model, { requiredKeys: required });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + 3);
      return schema.items === undefined
        ? fc.constant([])
        : fc.array(arbitraryOf(schema.items, options), { minLength, maxLength });
    }
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
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
          {
            readonly requestBody?: {
              readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
            };
          }
        >
      >
    >
  >;
}

/**
 * The JSON body schema of a route, by Fastify's url (`/journeys/:journeyId/...`), from the app's
 * OpenAPI document; undefined for a route without a body.
 */
export function bodySchemaOf(
  document: OpenApiDocument,
  method: string,
  url: string,
): JsonSchema | undefined {
  const path = url.replace(/:([a-zA-Z]+)/g, '{$1}');
  return document.paths[path]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']
    ?.schema;
}

/** `#/components/schemas/Name` of the document. */
export function resolverOf(document: OpenApiDocument): (ref: string) => JsonSchema {
  return (ref) => {
    const found = document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
    if (found === undefined) throw new Error(`unknown $ref ${ref}`);
    return found;
  };
}
