import type { FastifyInstance } from 'fastify';

type DemoUser = 'caseworker' | 'supervisor' | 'shelter' | 'care' | 'legal' | 'reintegration';

export interface DemoOptions {
  /** Record a path with breaches the audit flags instead of a lawful one. */
  readonly breach?: boolean;
  /** The day the demo is seeded; dates are set before it. Default: now. */
  readonly today?: Date;
}

const DAY_MS = 86_400_000;

/**
 * Synthetic legal facts for one demo journey, entered through this service's API as a client
 * would. The journey is Harbour Outreach's, so its caseworker and supervisor record (the Legal Aid
 * Bureau's advisor sees it only through an accepted referral); the lawful path files the claim on
 * the person's services consent, which the demo seed records for every journey.
 *
 * Lawful: free legal aid before the first interview, a 90-day reflection period that runs out, a
 * residence permit on personal situation and cooperation, a status-offence charge dropped on a
 * trafficking assessment, compensation claimed. Breach: a 20-day reflection period ended early for
 * non-cooperation, immigration detention, a Dublin transfer enforced during the period, an
 * interview with no legal aid, a penalty for an offence linked to the trafficking, and a claim
 * filed on a supervisor's override.
 */
export async function demoJourney(
  app: { inject: FastifyInstance['inject'] },
  token: (user: DemoUser) => Promise<string>,
  journeyId: string,
  options: DemoOptions = {},
): Promise<void> {
  const today = (options.today ?? new Date()).getTime();
  const day = (offset: number): string =>
    new Date(today + offset * DAY_MS).toISOString().slice(0, 10);
  const base = `/journeys/${journeyId}/legal`;
  const post = async (
    path: string,
    body: Record<string, unknown>,
    user: DemoUser = 'caseworker',
  ): Promise<Record<string, string>> => {
    const response = await app.inject({
      method: 'POST',
      url: `${base}/${path}`,
      payload: body,
      headers: { authorization: `Bearer ${await token(user)}` },
    });
    if (response.statusCode !== 201)
      throw new Error(
        `legal demo: POST ${path} answered ${String(response.statusCode)}: ${response.body}`,
      );
    return response.json<Record<string, string>>();
  };
  const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service (synthetic)' };
  const police = { type: 'Police', name: 'Harbour police, trafficking unit (synthetic)' };
  const prosecution = { type: 'Prosecution', name: 'District prosecutor (synthetic)' };
  const court = { type: 'Court', name: 'District court (synthetic)' };

  if (options.breach === true) {
    const { periodId } = await post('reflection-periods', {
      actingBody: immigration,
      occurredOn: day(-60),
      start: day(-60),
      end: day(-40),
    });
    const { detentionId } = await post('detentions', {
      actingBody: immigration,
      occurredOn: day(-58),
      kind: 'immigration',
      place: 'Synthetic detention centre',
    });
    await post('interviews', {
      actingBody: police,
      occurredOn: day(-57),
      purpose: 'criminal_investigation',
      professions: ['police_officer'],
      childAdaptedPremises: false,
      interpreterUsed: false,
      legalAssistancePresent: false,
    });
    await post('cooperation', { actingBody: police, occurredOn: day(-56), status: 'declined' });
    await post('penalties', {
      actingBody: court,
      occurredOn: day(-55),
      penalty: 'fine',
      offence: 'false_documents',
      linkedToTrafficking: 'yes',
      amount: { amount: 400, currency: 'EUR' },
    });
    const { orderId } = await post('removal-orders', {
      actingBody: immigration,
      occurredOn: day(-54),
      kind: 'dublin_transfer',
      destinationCountry: 'IT',
    });
    await post(`reflection-periods/${periodId ?? ''}/end`, {
      actingBody: immigration,
      occurredOn: day(-52),
      reason: 'non_cooperation',
    });
    await post(`detentions/${detentionId ?? ''}/end`, {
      actingBody: immigration,
      occurredOn: day(-50),
    });
    await post('removals', {
      orderId,
      actingBody: immigration,
      occurredOn: day(-50),
      kind: 'dublin_transfer',
      destinationCountry: 'IT',
    });
    await post(
      'compensation-claims',
      {
        lodgedWith: { type: 'CompensationAuthority', name: 'State compensation fund (synthetic)' },
        forum: 'state_fund',
        against: 'state',
        overrideReason: 'Transferred abroad before consent could be sought; the deadline expires',
      },
      'supervisor',
    );
    return;
  }

  await post('legal-aid', {
    actingBody: { type: 'LegalAidAuthority', name: 'Legal aid board (synthetic)' },
    occurredOn: day(-100),
    matters: ['criminal_proceedings', 'immigration', 'compensation'],
    freeOfCharge: true,
    lawyerName: 'Synthetic Advocate',
  });
  const { periodId } = await post('reflection-periods', {
    actingBody: immigration,
    occurredOn: day(-100),
    start: day(-100),
    end: day(-10),
    reference: 'RRP-SYNTH-0001',
  });
  await post('interviews', {
    actingBody: police,
    occurredOn: day(-90),
    purpose: 'criminal_investigation',
    professions: ['police_officer', 'lawyer', 'interpreter'],
    childAdaptedPremises: true,
    interpreterUsed: true,
    legalAssistancePresent: true,
  });
  await post('cooperation', { actingBody: police, occurredOn: day(-88), status: 'willing' });
  const { chargeId } = await post('charges', {
    actingBody: police,
    occurredOn: day(-95),
    offence: 'irregular_stay',
    linkedToTrafficking: 'yes',
    description: 'Synthetic charge description',
  });
  await post(`charges/${chargeId ?? ''}/prosecution-decisions`, {
    actingBody: prosecution,
    occurredOn: day(-80),
    outcome: 'not_prosecuted',
    nonPunishmentConsidered: true,
    traffickingAssessment: { reference: 'NRM-SYNTH-0001' },
    reasonCodes: ['non_punishment', 'compelled_offence'],
    reasons: 'Synthetic reasons: the stay was a direct consequence of the trafficking',
  });
  await post('residence-permits', {
    actingBody: immigration,
    occurredOn: day(-12),
    grounds: ['personal_situation', 'cooperation'],
    outcome: 'granted',
    validUntil: day(353),
  });
  await post(`reflection-periods/${periodId ?? ''}/end`, {
    actingBody: immigration,
    occurredOn: day(-10),
    reason: 'expired',
  });
  await post('compensation-claims', {
    lodgedWith: court,
    forum: 'criminal_proceedings',
    against: 'offender',
    amountClaimed: { amount: 15_000, currency: 'EUR' },
    reference: 'CLAIM-SYNTH-0001',
  });
}
