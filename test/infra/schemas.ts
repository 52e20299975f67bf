import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';

/** The infra folder; WAYPOINT_INFRA_DIR points the tests at another copy (an older one, say). */
export const INFRA = process.env.WAYPOINT_INFRA_DIR ?? join(import.meta.dirname, '../../infra');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A value as text for messages: strings as they are, anything else as JSON. */
export function text(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readJson(path: string): AnySchemaObject {
  return JSON.parse(readFileSync(path, 'utf8')) as AnySchemaObject;
}

function newAjv(): Ajv {
  // strict: false because the published schemas carry keywords of their own (x-kubernetes-*,
  // deprecated); they are annotations, not constraints.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

/** A YAML file as plain data, with `<<` merge keys resolved as compose does. */
export function readYaml(relative: string): JsonObject {
  return parse(readFileSync(join(INFRA, relative), 'utf8'), { merge: true }) as JsonObject;
}

/** Every document of a multi-document YAML file, failing on a document that does not parse. */
export function readYamlDocuments(relative: string): JsonObject[] {
  return parseAllDocuments(readFileSync(join(INFRA, relative), 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${relative}: ${document.errors.join('; ')}`);
    const value = document.toJS() as JsonObject | null;
    return value === null ? [] : [value];
  });
}

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`).join('\n');
}

/** The compose specification's own schema (draft-07, as it declares). */
export function composeValidator(): ValidateFunction {
  const ajv = newAjv();
  const schema = readJson(join(INFRA, 'schemas/compose-spec.json'));
  // The schema names its draft without the trailing '#'; register draft-07 under that name too.
  const declared = schema.$schema;
  if (typeof declared === 'string' && !ajv.getSchema(declared)) {
    const draft07 = ajv.getSchema('http://json-schema.org/draft-07/schema')?.schema;
    if (typeof draft07 === 'object') ajv.addMetaSchema({ ...draft07, $id: declared }, declared);
  }
  return ajv.compile(schema);
}

/** File names of the published schemas (yannh/kubernetes-json-schema, v1.31.0-standalone-strict). */
export const PUBLISHED_K8S_SCHEMA: Record<string, string> = {
  Deployment: 'deployment-apps-v1.json',
  Service: 'service-v1.json',
  PodDisruptionBudget: 'poddisruptionbudget-policy-v1.json',
  NetworkPolicy: 'networkpolicy-networking-k8s-io-v1.json',
  ConfigMap: 'configmap-v1.json',
  Ingress: 'ingress-networking-k8s-io-v1.json',
  PersistentVolumeClaim: 'persistentvolumeclaim-v1.json',
};

export interface K8sValidators {
  /** Which schemas the validators come from. */
  readonly source: 'published' | 'subset';
  readonly missingPublished: string[];
  validate(kind: string, document: JsonObject): ErrorObject[];
}

/**
 * Validators per kind: the published 1.31 strict schemas when they are in infra/schemas/k8s-1.31/,
 * else the hand-written strict subset in infra/schemas/k8s-1.31-subset.json.
 */
export function k8sValidators(): K8sValidators {
  const folder = join(INFRA, 'schemas/k8s-1.31');
  const missingPublished = Object.values(PUBLISHED_K8S_SCHEMA).filter(
    (file) => !existsSync(join(folder, file)),
  );
  const ajv = newAjv();
  const compiled = new Map<string, ValidateFunction>();
  const source = missingPublished.length === 0 ? 'published' : 'subset';
  if (source === 'subset') ajv.addSchema(readJson(join(INFRA, 'schemas/k8s-1.31-subset.json')));
  const validatorFor = (kind: string): ValidateFunction => {
    const known = compiled.get(kind);
    if (known) return known;
    const file = PUBLISHED_K8S_SCHEMA[kind];
    if (!file) throw new Error(`No schema kept for kind ${kind}: add it to infra/schemas`);
    const validate =
      source === 'published'
        ? ajv.compile(readJson(join(folder, file)))
        : ajv.getSchema(`https://waypoint.local/schemas/k8s-1.31-subset.json#/definitions/${kind}`);
    if (!validate) throw new Error(`No schema for ${kind}`);
    compiled.set(kind, validate);
    return validate;
  };
  return {
    source,
    missingPublished,
    validate: (kind, document) => {
      const validate = validatorFor(kind);
      return validate(document) ? [] : [...(validate.errors ?? [])];
    },
  };
}
