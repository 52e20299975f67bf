import type { ErasureEvent, ErasureEventData } from '@waypoint/contracts';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import type { ActiveHold } from '../legal-hold/state.js';
import type { ErasureCommand } from './commands.js';
import { erasureDecider } from './erasure-decider.js';
import { nextStep } from './next-step.js';

const spec = deciderSpec(erasureDecider);
const ids = {
  request: '01936d8e-0000-7000-8000-0000000000e1',
  person: '01936d8e-0000-7000-8000-000000000002',
  hold: '01936d8e-0000-7000-8000-0000000000f1',
};

const request: ErasureEventData<'ErasureRequested'> = {
  requestId: ids.request,
  personId: ids.person,
  reasonCode: 'data_subject_request',
  scope: 'categories',
  categories: ['identity', 'legal'],
  services: ['identification', 'care'],
  origin: 'dpo',
};
const legalHold: ActiveHold = { holdId: ids.hold, basis: 'legal_claims', categories: ['legal'] };
const healthHold: ActiveHold = { holdId: ids.hold, basis: 'legal_claims', categories: ['health'] };

const requested: ErasureEvent = { type: 'ErasureRequested', data: request };
const blocked: ErasureEvent = {
  type: 'ErasureBlocked',
  data: {
    requestId: ids.request,
    personId: ids.person,
    holds: [{ holdId: ids.hold, basis: 'legal_claims', categories: ['legal'] }],
    blockedCategories: ['legal'],
  },
};
const confirmedBy = (service: 'identification' | 'care'): ErasureEvent => ({
  type: 'ErasureServiceConfirmed',
  data: {
    requestId: ids.request,
    personId: ids.person,
    service,
    outcome: 'nothing_decrypted_kept',
    cacheEntriesEvicted: 2,
  },
});
const confirm = (service: 'identification' | 'care' | 'legal'): ErasureCommand => ({
  type: 'ConfirmErasure',
  confirmation: { service, outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 2 },
});
const destructions = [
  { category: 'identity' as const, destroyedAt: '2026-05-01T10:00:00.000Z', reason: 'erasure' },
  { category: 'legal' as const, destroyedAt: '2026-05-01T10:00:00.000Z', reason: 'erasure' },
];
const keysDestroyed: ErasureEvent = {
  type: 'PersonKeysDestroyed',
  data: { requestId: ids.request, personId: ids.person, destructions },
};
const completed: ErasureEvent = {
  type: 'ErasureCompleted',
  data: {
    requestId: ids.request,
    personId: ids.person,
    categories: ['identity', 'legal'],
    // Identity is among the erased categories: the person leaves search and duplicate detection.
    searchIndexRemoved: true,
  },
};

describe('an erasure that was never requested', () => {
  it('is requested, and waits for every service named', () => {
    spec.given([]).when({ type: 'RequestErasure', request, holds: [] }).then([requested]);
  });
  it('is recorded and blocked at once when a hold covers one of its categories', () => {
    spec
      .given([])
      .when({ type: 'RequestErasure', request, holds: [legalHold] })
      .then([requested, blocked]);
  });
  it('is not blocked by a hold on a category it does not ask for', () => {
    spec
      .given([])
      .when({ type: 'RequestErasure', request, holds: [healthHold] })
      .then([requested]);
  });
  it('cannot be confirmed, resumed or completed', () => {
    spec.given([]).when(confirm('care')).thenFails('ERASURE_REQUEST_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'ResumeErasure', holds: [] })
      .thenFails('ERASURE_REQUEST_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'RecordKeysDestroyed', destructions })
      .thenFails('ERASURE_REQUEST_NOT_FOUND');
  });
});

describe('an erasure waiting for confirmations', () => {
  it('records each service once; a repeated confirmation changes nothing', () => {
    spec
      .given([requested])
      .when(confirm('care'))
      .then([confirmedBy('care')]);
    spec
      .given([requested, confirmedBy('care')])
      .when(confirm('care'))
      .thenNothingHappens();
  });
  it('refuses a confirmation from a service it does not wait for', () => {
    spec
      .given([requested])
      .when(confirm('legal'))
      .thenFails('ERASURE_SERVICE_NOT_EXPECTED', 'service');
  });
  it('refuses to record destroyed keys before every service confirmed', () => {
    const error = spec
      .given([requested, confirmedBy('care')])
      .when({ type: 'RecordKeysDestroyed', destructions })
      .thenFails('ERASURE_NOT_READY');
    expect(error.message).toContain('identification');
  });
  it('says which services it waits for, then that the keys can go', () => {
    const state = [requested, confirmedBy('care')].reduce(
      erasureDecider.evolve,
      erasureDecider.initialState(),
    );
    expect(nextStep(state)).toEqual({ kind: 'wait_for', services: ['identification'] });
    const all = erasureDecider.evolve(state, confirmedBy('identification'));
    expect(nextStep(all)).toEqual({ kind: 'destroy_keys', categories: ['identity', 'legal'] });
  });
  it('is blocked by a hold placed since it was requested', () => {
    spec
      .given([requested])
      .when({ type: 'CheckHolds', holds: [legalHold] })
      .then([blocked]);
    spec
      .given([requested])
      .when({ type: 'CheckHolds', holds: [healthHold] })
      .thenNothingHappens();
  });
  it('cannot be resumed: it is not blocked', () => {
    spec
      .given([requested])
      .when({ type: 'ResumeErasure', holds: [] })
      .thenFails('ERASURE_NOT_BLOCKED');
  });
});

describe('an erasure every service confirmed', () => {
  const confirmed = [requested, confirmedBy('identification'), confirmedBy('care')];
  it('records the destroyed keys and its completion', () => {
    spec
      .given(confirmed)
      .when({ type: 'RecordKeysDestroyed', destructions })
      .then([keysDestroyed, completed]);
  });
  it('refuses to complete when a requested key is not among the destroyed ones', () => {
    spec
      .given(confirmed)
      .when({ type: 'RecordKeysDestroyed', destructions: destructions.slice(0, 1) })
      .thenFails('ERASURE_KEYS_MISSING');
  });
});

describe('a blocked erasure', () => {
  it('names the hold when resumed while the hold is still in force', () => {
    const error = spec
      .given([requested, blocked])
      .when({ type: 'ResumeErasure', holds: [legalHold] })
      .thenFails('ERASURE_UNDER_LEGAL_HOLD', 'categories');
    expect(error.message).toContain(ids.hold);
    expect(error.message).toContain('GDPR Art. 17(3)(e)');
  });
  it('resumes once the hold is lifted', () => {
    spec
      .given([requested, blocked])
      .when({ type: 'ResumeErasure', holds: [] })
      .then([{ type: 'ErasureResumed', data: { requestId: ids.request, personId: ids.person } }]);
  });
  it('still takes confirmations, but never destroys keys', () => {
    spec
      .given([requested, blocked])
      .when(confirm('care'))
      .then([confirmedBy('care')]);
    spec
      .given([requested, blocked, confirmedBy('care'), confirmedBy('identification')])
      .when({ type: 'RecordKeysDestroyed', destructions })
      .thenFails('ERASURE_NOT_READY');
  });
});

describe('a completed erasure', () => {
  const done = [
    requested,
    confirmedBy('identification'),
    confirmedBy('care'),
    keysDestroyed,
    completed,
  ];
  it('ignores late confirmations and a repeated completion', () => {
    spec.given(done).when(confirm('care')).thenNothingHappens();
    spec.given(done).when({ type: 'RecordKeysDestroyed', destructions }).thenNothingHappens();
  });
  it('cannot be requested again under the same id', () => {
    spec
      .given(done)
      .when({ type: 'RequestErasure', request, holds: [] })
      .thenFails('ERASURE_REQUEST_EXISTS', 'requestId');
  });
});
