import type { FastifyInstance } from 'fastify';

export type DemoUserName =
  'caseworker' | 'supervisor' | 'shelter' | 'care' | 'legal' | 'reintegration';

interface Api {
  get(url: string, user: DemoUserName): Promise<Record<string, unknown>>;
  post(url: string, body: unknown, user: DemoUserName): Promise<Record<string, unknown>>;
}

function api(app: FastifyInstance, token: (user: DemoUserName) => Promise<string>): Api {
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    user: DemoUserName,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await token(user)}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    if (response.statusCode >= 300)
      throw new Error(`care demo: ${method} ${url} answered ${String(response.statusCode)}`);
    return response.json<Record<string, unknown>>();
  };
  return {
    get: (url, user) => call('GET', url, user),
    post: (url, body, user) => call('POST', url, user, body),
  };
}

/** When the demo happens: its first day, and how to move the clock of the app that records it. */
export interface DemoTime {
  readonly today?: Date;
  readonly moveTo?: (at: Date) => void;
}

const ago = (now: Date, hours: number): string =>
  new Date(now.getTime() - hours * 3_600_000).toISOString();

interface Consent {
  scope: string;
  withdrawnAt?: string;
  validUntil?: string;
}
interface Organisation {
  orgId: string;
  name: string;
  type: string;
  acceptsReferrals: boolean;
}

/**
 * Synthetic care for one demo journey (opened by the Harbour Outreach demo organisation), through
 * the HTTP API as a client would enter it. The lawful path: a services consent, a referral of the
 * journey to the health clinic on a sharing consent, a care plan, emergency medical care on a
 * vital-interest basis, authorised and delivered psychological care, accommodation, interpretation
 * and counselling, and progress on the objectives. With `breach`, assistance is then ended because
 * the person would not cooperate with the authorities, which the audit flags (AS-02). With
 * `time`, the care happens in the days after `time.today` (the recording app's clock is moved
 * there) instead of in the days before now.
 */
export async function demoJourney(
  app: FastifyInstance,
  token: (user: DemoUserName) => Promise<string>,
  journeyId: string,
  breach = false,
  time: DemoTime = {},
): Promise<void> {
  const client = api(app, token);
  const base = `/journeys/${journeyId}`;
  const now =
    time.today === undefined
      ? new Date()
      : new Date(Math.min(Date.now(), time.today.getTime() + 3 * 86_400_000));
  time.moveTo?.(now);

  const identification = await client.get(`${base}/identification`, 'caseworker');
  const consents = (identification.consents ?? []) as Consent[];
  const hasServicesConsent = consents.some(
    (consent) =>
      consent.scope === 'services' &&
      consent.withdrawnAt === undefined &&
      (consent.validUntil === undefined || consent.validUntil > now.toISOString()),
  );
  if (!hasServicesConsent)
    await client.post(
      `${base}/consents`,
      {
        consentId: crypto.randomUUID(),
        scope: 'services',
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
      },
      'caseworker',
    );

  // The clinic sees the journey once it accepts a referral made on a sharing consent naming it.
  const directory = (await client.get('/organisations', 'caseworker')).organisations as
    Organisation[] | undefined;
  const clinic = directory?.find(
    (organisation) =>
      organisation.type === 'HealthServiceOrganisation' && organisation.acceptsReferrals,
  );
  const clinicProvider = clinic
    ? { orgId: clinic.orgId, name: clinic.name, type: 'HealthServiceOrganisation' }
    : { name: 'City Health Clinic', type: 'HealthServiceOrganisation' };
  let provider: DemoUserName = 'caseworker';
  if (clinic) {
    const consentId = crypto.randomUUID();
    await client.post(
      `${base}/consents`,
      {
        consentId,
        scope: 'sharing',
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
        sharingWithOrgIds: [clinic.orgId],
      },
      'caseworker',
    );
    const { referralId } = await client.post(
      `${base}/referrals`,
      {
        toOrgId: clinic.orgId,
        reason: 'AdditionalServicesRequired',
        services: ['Health'],
        consentId,
      },
      'caseworker',
    );
    await client.post(`${base}/referrals/${String(referralId)}/acceptance`, {}, 'care');
    provider = 'care';
  }

  // Emergency care given before anyone could ask: a fact, marked as vital interest.
  await client.post(
    `${base}/care/deliveries`,
    {
      careCode: 'emergency_medical',
      provider: clinicProvider,
      language: 'en',
      interpreterUsed: false,
      deliveredAt: ago(now, 48),
      vitalInterest: true,
      clinicalDetails: 'Synthetic: treated for dehydration and a hand injury',
    },
    provider,
  );

  const plan = await client.post(
    `${base}/care/plans`,
    {
      summary: 'Synthetic plan: safe accommodation, psychological support, information on rights',
      objectives: [
        { careCode: 'accommodation', description: 'Safe place to stay' },
        { careCode: 'psychological', description: 'Weekly sessions with a psychologist' },
        { careCode: 'interpretation', description: 'Interpreter for appointments' },
        { careCode: 'counselling', description: 'Counselling and information on rights' },
      ],
    },
    'caseworker',
  );
  const planId = String(plan.planId);
  const [accommodation, psychological, interpretation, counselling] = (
    plan.objectiveIds as string[]
  ).map(String);

  const { authorisationId } = await client.post(
    `${base}/care/authorisations`,
    {
      careCode: 'psychological',
      provider: clinicProvider,
      planId,
      objectiveId: psychological,
      notes: 'Synthetic: ten sessions',
    },
    'caseworker',
  );
  const deliveries = [
    {
      careCode: 'accommodation',
      provider: { name: 'Safe House North', type: 'NGO' },
      objectiveId: accommodation,
      hours: 30,
      user: 'caseworker' as const,
    },
    {
      careCode: 'interpretation',
      provider: { name: 'Harbour Outreach interpreters', type: 'NGO' },
      objectiveId: interpretation,
      hours: 24,
      user: 'caseworker' as const,
    },
    {
      careCode: 'psychological',
      provider: clinicProvider,
      objectiveId: psychological,
      hours: 20,
      user: provider,
      authorisationId: String(authorisationId),
    },
    {
      careCode: 'counselling',
      provider: { name: 'Harbour Outreach', type: 'NGO' },
      objectiveId: counselling,
      hours: 12,
      user: 'caseworker' as const,
    },
  ];
  for (const { hours, user, ...delivery } of deliveries)
    await client.post(
      `${base}/care/deliveries`,
      {
        ...delivery,
        planId,
        language: 'en',
        interpreterUsed: true,
        deliveredAt: ago(now, hours),
        notes: 'Synthetic delivery note',
      },
      user,
    );
  await client.post(
    `${base}/care/plans/${planId}/objectives/${String(accommodation)}/progress`,
    { status: 'achieved', note: 'Synthetic: settled in' },
    'caseworker',
  );
  await client.post(
    `${base}/care/plans/${planId}/objectives/${String(psychological)}/progress`,
    { status: 'in_progress' },
    provider,
  );

  if (breach) {
    // Assistance may not depend on cooperation (CoE Art. 12(6)): only a supervisor's override
    // records such an end, and the audit still flags it (AS-02).
    await client.post(
      `${base}/care/assistance-end`,
      {
        reason: 'non_cooperation',
        endedBy: { name: 'Harbour Outreach', type: 'NGO' },
        explanation: 'Synthetic: the person declined to give a statement to the police',
        overrideReason: 'Synthetic: programme funding tied to cooperation',
      },
      'supervisor',
    );
  }
}
