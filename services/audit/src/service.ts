import { readModelsOf, type ServiceDefinition } from '@waypoint/runtime/service';
import { accessLogProjection } from './access-log/access-log-projection.js';
import { AUDIT_REDACT_PATHS, registerAudit } from './app.js';
import type { AuditDeps } from './deps.js';
import { findingsProjection } from './findings/findings-projection.js';

/** The audit service's settings: the jurisdictions' rules, where digests go, its timers. */
export type AuditSettings = Pick<
  AuditDeps,
  'profiles' | 'digests' | 'sweepIntervalMs' | 'digestIntervalMs'
>;

/**
 * The audit service, as the distributed runtime, the embedded process and the specs build it:
 * findings and the access log are built from every service's events, and it decides who sees what
 * on the journeys' identification facts.
 */
export function auditService(settings: AuditSettings): ServiceDefinition<AuditDeps, void, 'audit'> {
  return {
    name: 'audit',
    redactPaths: AUDIT_REDACT_PATHS,
    journeyFacts: true,
    projections: {
      list: [findingsProjection({ profiles: settings.profiles }), accessLogProjection()],
      source: 'services',
    },
    deps: (context) => ({
      ...settings,
      store: context.store,
      cipher: context.cipher,
      journeys: context.journeys(),
      readModels: readModelsOf(context, 'audit'),
      now: context.now,
      newId: context.newId,
    }),
    register: registerAudit,
  };
}
