import {
  REVIEW_FEELS_SAFE,
  REVIEW_HOUSING,
  REVIEW_LEGAL_STATUS,
  REVIEW_SCHOOL,
  REVIEW_WORK,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';

/** A small deterministic generator (mulberry32): synthetic cohorts are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const GENDERS = ['Feminine', 'Masculine', 'Feminine', 'NonConforming'] as const;
const BANDS = ['9-17', '18-20', '21-23', '24-26', '27-29', '30-38', '39-47'] as const;
const COUNTRIES = ['NG', 'VN', 'RO', 'AL', 'BR', 'UA', 'ER', 'PH'] as const;
const EXPLOITATION = ['SexualExploitation', 'ForcedLabour', 'ForcedCriminality', 'ForcedBegging'];
const ORGS = [
  '0193c000-0000-7000-8000-0000000000a1',
  '0193c000-0000-7000-8000-0000000000a2',
  '0193c000-0000-7000-8000-0000000000a3',
];
const DAY_MS = 86_400_000;

/** A ciphertext-shaped value: what a stored event holds where a personal value was. */
const SEALED = {
  $enc: 'aes-256-gcm/v1',
  subject: 'synthetic',
  category: 'notes',
  path: 'data.notes',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'c2VjcmV0',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};

function uuid(prefix: number, index: number): string {
  return `0193d${prefix.toString(16).padStart(3, '0')}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}

/**
 * The events of `count` synthetic journeys across every service (and the person registry), in a
 * plausible order, as the store would return them. Seeded: the same cohort on every run.
 */
export function syntheticJourneyEvents(count: number, seed = 1): RecordedEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const events: RecordedEvent[] = [];
  let position = 0;
  let eventIndex = 0;
  const push = (stream: string, type: string, at: number, data: Record<string, unknown>): void => {
    position += 1;
    eventIndex += 1;
    events.push({
      id: uuid(seed, eventIndex),
      type,
      schemaVersion: 1,
      data: data as RecordedEvent['data'],
      metadata: {
        occurredAt: new Date(at).toISOString(),
        recordedAt: new Date(at).toISOString(),
        actor: { userId: 'synthetic', role: 'caseworker', orgId: ORGS[0] ?? '' },
        correlationId: 'synthetic',
        causationId: 'synthetic',
      },
      stream,
      revision: 0,
      position: String(position).padStart(12, '0'),
      prevHash: null,
      hash: 'synthetic',
    });
  };
  for (let index = 0; index < count; index += 1) {
    const journeyId = uuid(0xa00 + seed, index + 1);
    const personId = uuid(0xb00 + seed, index + 1);
    const identification = `identification-${journeyId}`;
    const band = pick(BANDS);
    const child = band === '9-17';
    const start = Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365) * DAY_MS;
    let at = start;
    const later = (days: number): number => (at += Math.max(0, Math.round(days)) * DAY_MS);
    push(`person-${personId}`, 'PersonRegistered', at, {
      personId,
      identity: SEALED,
      blindIndexes: { name: 'x' },
      gender: pick(GENDERS),
      ageBand: band,
      child: child ? 'yes' : 'no',
      citizenship: [pick(COUNTRIES)],
      languages: ['en'],
      registeredByOrgId: ORGS[0],
    });
    push(identification, 'JourneyOpened', at, {
      journeyId,
      personId,
      jurisdiction: 'NL',
      openedByOrgId: pick(ORGS),
    });
    push(identification, 'FirstContactRecorded', at, { channel: 'outreach', location: SEALED });
    if (random() < 0.9)
      push(identification, 'ConsentRecorded', at, {
        consentId: uuid(0xc00 + seed, index + 1),
        scope: 'anonymous_reporting',
        givenBy: 'self',
        informedOf: ['purpose'],
        sharingWithOrgIds: [],
      });
    push(identification, 'IndicatorsObserved', later(random() * 5), {
      indicators: ['DebtBondage'],
      exploitationTypes: [pick(EXPLOITATION)],
      observedByOrgId: ORGS[0],
      notes: SEALED,
    });
    if (child && random() < 0.5) {
      push(identification, 'UnaccompaniedChildRecorded', at, { separated: false });
      push(identification, 'GuardianAppointed', later(random() * 6), {
        appointedBy: { type: 'CourtOrProsecution', name: 'Court' },
        guardianName: SEALED,
      });
    }
    if (random() < 0.6) {
      push(`shelter-${journeyId}`, 'ShelterAdmitted', later(random() * 20), {
        placementId: uuid(0xd00 + seed, index + 1),
        presumedChild: child,
        freedomOfMovementRestricted: false,
      });
    }
    const positive = random() < 0.8;
    push(identification, 'ReasonableGroundsDecided', later(5 + random() * 40), {
      outcome: positive ? 'positive' : 'negative',
      decidingBody: { type: 'Police', name: 'Police' },
      reasonCodes: [],
      legalBasis: 'CETS 197 Art. 10',
    });
    if (!positive) continue;
    const rg = new Date(at).toISOString().slice(0, 10);
    if (random() < 0.8) {
      const length = random() < 0.85 ? 30 + Math.floor(random() * 60) : 20;
      push(`legal-${journeyId}`, 'RecoveryReflectionPeriodGranted', at, {
        periodId: uuid(0xe00 + seed, index + 1),
        actingBody: { type: 'ImmigrationAuthority', name: 'IND' },
        occurredOn: rg,
        start: rg,
        end: new Date(at + length * DAY_MS).toISOString().slice(0, 10),
      });
    }
    push(`care-${journeyId}`, 'CareDelivered', at, {
      deliveryId: uuid(0xf00 + seed, index + 1),
      careCode: 'medical',
      supportPlanType: 'Health',
      provider: { name: 'Clinic' },
      language: 'en',
      interpreterUsed: false,
      deliveredAt: new Date(later(random() * 10)).toISOString(),
    });
    if (random() < 0.7)
      push(identification, 'ConclusiveGroundsDecided', later(30 + random() * 150), {
        status: 'ActualVictimOfTrafficking',
        decidingBody: { type: 'Police', name: 'Police' },
        reasonCodes: [],
        legalBasis: 'CETS 197 Art. 10',
      });
    if (random() < 0.5)
      push(`legal-${journeyId}`, 'ResidencePermitDecided', later(30 + random() * 200), {
        actingBody: { type: 'ImmigrationAuthority', name: 'IND' },
        occurredOn: new Date(at).toISOString().slice(0, 10),
        grounds: ['personal_situation'],
        outcome: random() < 0.7 ? 'granted' : 'refused',
      });
    if (random() < 0.3) {
      push(`reintegration-${journeyId}`, 'RiskAssessmentCompleted', later(20), {
        scope: 'return',
        level: 'low',
        assessedBy: { type: 'NGO', name: 'NGO' },
      });
      push(`reintegration-${journeyId}`, 'ReturnExecuted', later(20 + random() * 60), {
        executedBy: { type: 'Other', name: 'IOM' },
        countryOfReturn: 'NG',
      });
    }
    const reviews = Math.floor(random() * 5);
    let economic = 0.2 + random() * 0.3;
    for (let review = 0; review < reviews; review += 1) {
      economic = Math.min(1, economic + random() * 0.1);
      push(
        `reintegration-${journeyId}`,
        'ReintegrationReviewCompleted',
        later(review === 0 ? 10 : 91),
        {
          reviewId: uuid(0x100 + review, index + 1),
          method: 'in_person',
          scores: { economic, social: 0.5, psychosocial: 0.4 + random() * 0.4 },
          // Some reviews predate the situation questions; the others answer all but the school.
          ...(random() < 0.3
            ? {}
            : {
                situation: {
                  housing: pick(REVIEW_HOUSING),
                  work: pick(REVIEW_WORK),
                  feelsSafe: pick(REVIEW_FEELS_SAFE),
                  legalStatus: pick(REVIEW_LEGAL_STATUS),
                  ...(random() < 0.5 ? { school: pick(REVIEW_SCHOOL) } : {}),
                },
              }),
          notes: SEALED,
        },
      );
    }
    if (random() < 0.05)
      push(`reintegration-${journeyId}`, 'ReTraffickingReported', later(random() * 200), {
        source: 'ngo',
        exploitationTypes: [],
      });
  }
  return events;
}
