import {
  analyticsDistributedConfigSchema,
  startDistributedAnalytics,
} from '@waypoint/analytics-service/distributed';
import {
  auditDistributedConfigSchema,
  startDistributedAudit,
} from '@waypoint/audit-service/distributed';
import { careConfigSchema, startDistributedCare } from '@waypoint/care-service/distributed';
import {
  identificationConfigSchema,
  startDistributedIdentification,
} from '@waypoint/identification-service/distributed';
import {
  journeyConfigSchema,
  startDistributedJourney,
} from '@waypoint/journey-service/distributed';
import { legalConfigSchema, startDistributedLegal } from '@waypoint/legal-service/distributed';
import {
  reintegrationConfigSchema,
  startDistributedReintegration,
} from '@waypoint/reintegration-service/distributed';
import type { DistributedService, LogDestination } from '@waypoint/runtime';
import { loadConfig } from '@waypoint/service-kit';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';

/**
 * Each service of the distributed mode as its own `main.ts` starts it: the configuration schema it
 * reads the environment with, and its start function. The infra tests read the environment that
 * compose and Kubernetes give each service with the very schema the service uses.
 */
/** What the infra tests use of a service's zod schema (test/ does not depend on zod itself). */
export interface ConfigSchema {
  readonly shape: Readonly<Record<string, unknown>>;
  safeParse(env: unknown):
    | { readonly success: true }
    | {
        readonly success: false;
        readonly error: { readonly issues: readonly { path: PropertyKey[]; message: string }[] };
      };
}

export interface ServiceEntry {
  readonly schema: ConfigSchema;
  start(env: Readonly<Record<string, string>>, logs: LogDestination): Promise<DistributedService>;
}

export const SERVICE_NAMES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'analytics',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SERVICE_CATALOGUE: Readonly<Record<ServiceName, ServiceEntry>> = {
  identification: {
    schema: identificationConfigSchema,
    start: (env, logs) =>
      startDistributedIdentification(loadConfig(identificationConfigSchema, env), logs),
  },
  shelter: {
    schema: shelterConfigSchema,
    start: (env, logs) => startDistributedShelter(loadConfig(shelterConfigSchema, env), logs),
  },
  care: {
    schema: careConfigSchema,
    start: (env, logs) => startDistributedCare(loadConfig(careConfigSchema, env), logs),
  },
  legal: {
    schema: legalConfigSchema,
    start: (env, logs) => startDistributedLegal(loadConfig(legalConfigSchema, env), logs),
  },
  reintegration: {
    schema: reintegrationConfigSchema,
    start: (env, logs) =>
      startDistributedReintegration(loadConfig(reintegrationConfigSchema, env), logs),
  },
  journey: {
    schema: journeyConfigSchema,
    start: (env, logs) => startDistributedJourney(loadConfig(journeyConfigSchema, env), logs),
  },
  audit: {
    schema: auditDistributedConfigSchema,
    start: (env, logs) =>
      startDistributedAudit(loadConfig(auditDistributedConfigSchema, env), logs),
  },
  analytics: {
    schema: analyticsDistributedConfigSchema,
    start: (env, logs) =>
      startDistributedAnalytics(loadConfig(analyticsDistributedConfigSchema, env), logs),
  },
};

/** The problems a service's schema finds in an environment, as `KEY: message` lines. */
export function configProblems(name: ServiceName, env: Readonly<Record<string, string>>): string[] {
  const parsed = SERVICE_CATALOGUE[name].schema.safeParse(env);
  if (parsed.success) return [];
  return parsed.error.issues.map(
    (issue) => `${name}: ${issue.path.map(String).join('.') || '(config)'}: ${issue.message}`,
  );
}

/** The keys a service's schema knows: anything else in its environment is a typo or a leftover. */
export function knownKeys(name: ServiceName): Set<string> {
  return new Set(Object.keys(SERVICE_CATALOGUE[name].schema.shape));
}
