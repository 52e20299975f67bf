import type { RecordedEvent } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import { HttpProblem, type Principal } from '@waypoint/service-kit';
import { visibleJourney } from './access.js';
import type { AuditDeps } from './deps.js';
import { readJourney } from './journey-reader.js';
import { auditJourney, type Evaluation } from './rules/evaluate.js';

/** An instant as the audit answers it: in UTC, with milliseconds. */
export const iso = (value: string): string => new Date(value).toISOString();

export interface JourneyAudit {
  readonly journey: OpenJourney;
  readonly recorded: RecordedEvent[];
  readonly evaluation: Evaluation;
  readonly asOf: string;
}

/** Audits one journey the caller may see, from the store, as of a date (default now). */
export async function auditOf(
  deps: AuditDeps,
  principal: Principal,
  journeyId: string,
  asOf?: string,
): Promise<JourneyAudit> {
  const journey = await visibleJourney(deps, principal, journeyId);
  const recorded = await readJourney(deps.store, journey);
  const at = asOf === undefined ? deps.now().toISOString() : iso(asOf);
  const evaluation = auditJourney({ journeyId, recorded, profiles: deps.profiles, asOf: at });
  if (!evaluation) throw new HttpProblem('NOT_FOUND', 'No such journey as of that date');
  return { journey, recorded, evaluation, asOf: at };
}
