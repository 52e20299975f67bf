import type { ErasureService } from '@waypoint/contracts';
import {
  confirmPendingErasures,
  httpErasureCoordinator,
  keyCachePurge,
  type ErasureCoordinator,
  type EvictableKeyCache,
  type Purge,
} from '@waypoint/privacy';
import type { ServiceApp } from '@waypoint/service-kit';
import { z } from 'zod';
import { distributedConfigSchema, type DistributedConfig, type SecretPair } from './config.js';
import { secretOf } from './secrets.js';
import type { ServiceDefinition } from './service-definition.js';
import {
  startDistributedService,
  type DistributedService,
  type LogDestination,
} from './start-service.js';
import type { ServiceName } from './topics.js';

const optionalText = z.string().min(1).optional();

/** How often a service takes its part in erasures; shared by the identification service. */
export const ERASURE_INTERVAL_MS = z.coerce.number().int().min(0).max(86_400_000).default(60_000);

/**
 * The keys of a service that confirms erasures to the identification service (every service but
 * identification, which runs the workflow itself).
 */
export const ERASURE_PARTICIPANT_CONFIG_SHAPE = {
  IDENTIFICATION_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Base URL of the identification service (e.g. http://identification:3000), where erasure requests wait for this service. Required unless ERASURE_INTERVAL_MS is 0.',
    ),
  ERASURE_SERVICE_TOKEN: optionalText.describe(
    "A bearer token of the service's own account (role admin) from the identity provider, for the erasure confirmations. Set this or ERASURE_SERVICE_TOKEN_FILE (better: tokens are short-lived).",
  ),
  ERASURE_SERVICE_TOKEN_FILE: optionalText.describe(
    "File holding the service's token (role admin) for the erasure confirmations, read again at every pass so that the identity provider's agent can renew it. Set this or ERASURE_SERVICE_TOKEN.",
  ),
  ERASURE_INTERVAL_MS: ERASURE_INTERVAL_MS.describe(
    "How often the service asks which erasures wait for it, drops those persons' keys from its cache and confirms; 0: never (a DPO then confirms for it by hand).",
  ),
};

/** What the erasure duty reads from a service's configuration. */
export interface ErasureParticipantConfig {
  readonly IDENTIFICATION_URL?: string | undefined;
  readonly ERASURE_SERVICE_TOKEN?: string | undefined;
  readonly ERASURE_SERVICE_TOKEN_FILE?: string | undefined;
  readonly ERASURE_INTERVAL_MS: number;
}

/**
 * Problems of the erasure keys, by key: with the duty on, it needs where to confirm and exactly
 * one source of its token; off, a token given twice is still a mistake.
 */
export function erasureParticipantProblems(
  config: Partial<Record<keyof ErasureParticipantConfig, unknown>>,
): { key: keyof ErasureParticipantConfig; message: string }[] {
  const problems: { key: keyof ErasureParticipantConfig; message: string }[] = [];
  const on = config.ERASURE_INTERVAL_MS !== 0;
  const tokens = (['ERASURE_SERVICE_TOKEN', 'ERASURE_SERVICE_TOKEN_FILE'] as const).filter(
    (key) => config[key] !== undefined,
  ).length;
  if (on && config.IDENTIFICATION_URL === undefined)
    problems.push({
      key: 'IDENTIFICATION_URL',
      message: 'required while ERASURE_INTERVAL_MS is not 0: erasures wait for this service',
    });
  if (tokens > 1 || (on && tokens === 0))
    problems.push({
      key: 'ERASURE_SERVICE_TOKEN',
      message: `set exactly one of ERASURE_SERVICE_TOKEN and ERASURE_SERVICE_TOKEN_FILE (${tokens === 0 ? 'neither is set' : 'both are set'})`,
    });
  return problems;
}

/**
 * The configuration schema of a service that confirms erasures: the shared keys, the erasure keys
 * and the service's own, with every check of `distributedConfigSchema` and the erasure keys' own.
 */
export function participantConfigSchema<Extra extends z.ZodRawShape>(
  extra: Extra,
  secrets: readonly SecretPair[] = [],
) {
  return distributedConfigSchema(
    { ...ERASURE_PARTICIPANT_CONFIG_SHAPE, ...extra },
    secrets,
  ).superRefine(
    (config, context) => {
      for (const problem of erasureParticipantProblems(config)) {
        context.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
      }
    },
    // Checked even when other keys are bad, so one start lists every problem.
    { when: () => true },
  );
}

/** Where the duty writes what it did: the service's logger. Never a person's id or data. */
export interface ErasureDutyLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * A service's part in erasures, one pass at a time: ask the identification service which erasure
 * requests wait for this service, drop each person's keys from the process's key cache, confirm.
 * On a timer in production; a test (or an operator's tool) calls `run` once.
 */
export class ErasureDuty {
  private running: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      readonly service: ErasureService;
      /** Undefined when the identification service's URL is not configured. */
      readonly coordinator: ErasureCoordinator | undefined;
      readonly purge: Purge;
      readonly log: ErasureDutyLog;
    },
  ) {}

  /** One pass; a pass already running is joined, not doubled. Resolves to the count confirmed. */
  run(): Promise<number> {
    const { coordinator, service, purge } = this.deps;
    if (!coordinator)
      return Promise.reject(new Error('IDENTIFICATION_URL is not configured: no erasure duty'));
    this.running ??= confirmPendingErasures(coordinator, service, purge).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs a pass every `intervalMs` (0: never). A failed pass is logged; the next one retries. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.run().then(
        (confirmed) => {
          if (confirmed > 0)
            this.deps.log.info({ service: this.deps.service, confirmed }, 'erasures confirmed');
        },
        (error: unknown) => {
          // Every step is idempotent, so the next pass starts over. The error names no person.
          this.deps.log.error({ err: error }, 'erasure confirmations failed; retrying next pass');
        },
      );
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}

/**
 * The duty of a service of the distributed mode: confirmations over HTTP with the service's own
 * token (read again at every pass), the purge of its key cache, on its interval, stopped when the
 * app closes. Registered before the app is ready.
 */
export function registerErasureDuty(
  app: ServiceApp,
  options: {
    readonly service: ErasureService;
    readonly keys: EvictableKeyCache;
    readonly config: ErasureParticipantConfig;
  },
): ErasureDuty {
  const { config } = options;
  const coordinator =
    config.IDENTIFICATION_URL === undefined
      ? undefined
      : httpErasureCoordinator({
          baseUrl: config.IDENTIFICATION_URL,
          token: () =>
            secretOf(
              config.ERASURE_SERVICE_TOKEN,
              config.ERASURE_SERVICE_TOKEN_FILE,
              'ERASURE_SERVICE_TOKEN',
            ),
        });
  const duty = new ErasureDuty({
    service: options.service,
    coordinator,
    purge: keyCachePurge(options.keys),
    log: app.log,
  });
  duty.start(config.ERASURE_INTERVAL_MS);
  app.addHook('onClose', () => duty.stop());
  return duty;
}

/** The services that confirm erasures to the identification service. */
export type ErasureParticipantName = Exclude<ServiceName, 'identification'> & ErasureService;

/** A service of the distributed mode that confirms erasures, and its duty. */
export interface DistributedParticipant extends DistributedService {
  readonly erasure: ErasureDuty;
}

/**
 * `startDistributedService` for every service but identification: the same service, with its
 * erasure duty registered on the app and purging the process's own key cache.
 */
export async function startDistributedParticipant<Deps>(
  definition: ServiceDefinition<Deps, void, ErasureParticipantName>,
  config: DistributedConfig & ErasureParticipantConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  let duty: ErasureDuty | undefined;
  const service = await startDistributedService(
    definition,
    config,
    logDestination,
    (app, context) => {
      duty = registerErasureDuty(app, { service: definition.name, keys: context.keyStore, config });
    },
  );
  if (!duty) throw new Error(`${definition.name}: the erasure duty was not registered`);
  return { ...service, erasure: duty };
}
