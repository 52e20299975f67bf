import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { CENSORED, PERSONAL_FIELD_NAMES, createCensor } from './redaction.js';

/** Pino options for a service, or (in tests) a destination that captures the lines. */
export type LoggerSetting = LoggerOptions | DestinationStream;

export interface ServiceLoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly setting?: LoggerSetting;
  /** The service's own personal-data paths, in pino redact syntax, on top of the default list. */
  readonly redactPaths?: readonly string[];
}

function isDestination(setting: LoggerSetting): setting is DestinationStream {
  return 'write' in setting && typeof setting.write === 'function';
}

/** A URL without its query string: queries can carry search terms such as names. */
export function pathOnly(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function stringMember(value: object, key: string): string | undefined {
  const member: unknown = (value as Record<string, unknown>)[key];
  return typeof member === 'string' ? member : undefined;
}

/**
 * What a request is, for the log: its method and route template. Never its headers, query or
 * body, and not its path either: a path segment is whatever the client typed, which can be a name.
 */
function serializeRequest(request: unknown): Record<string, unknown> {
  if (typeof request !== 'object' || request === null) return {};
  const routeOptions: unknown = (request as Record<string, unknown>).routeOptions;
  const route =
    typeof routeOptions === 'object' && routeOptions !== null
      ? stringMember(routeOptions, 'url')
      : undefined;
  return { method: stringMember(request, 'method'), route: route ?? '(no route)' };
}

function serializeReply(reply: unknown): Record<string, unknown> {
  if (typeof reply !== 'object' || reply === null) return {};
  const statusCode: unknown = (reply as Record<string, unknown>).statusCode;
  return { statusCode };
}

interface LoggedError {
  readonly type: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly stack?: string;
  readonly cause?: LoggedError;
}

/**
 * Errors are logged by class, code and stack frames, never by message: messages quote their
 * input (PostgreSQL's `invalid input syntax for type uuid: "…"`, a library echoing a field), and
 * the input here is about people in danger. The frames and the code are enough to find the fault.
 */
export function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error };
  const record = error as unknown as Record<string, unknown>;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  const cause =
    depth < 3 && error.cause !== undefined ? serializeError(error.cause, depth + 1) : undefined;
  return {
    type: error.name,
    ...(typeof record.code === 'string' ? { code: record.code } : {}),
    ...(typeof record.statusCode === 'number' ? { statusCode: record.statusCode } : {}),
    ...(frames === '' ? {} : { stack: frames }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/**
 * The service's pino logger. Redaction and the serializers are not negotiable: a service may set
 * the level or the destination, not switch them off.
 */
export function createLogger(options: ServiceLoggerOptions): Logger {
  const { setting } = options;
  const destination = setting !== undefined && isDestination(setting) ? setting : undefined;
  const given: LoggerOptions = setting !== undefined && !isDestination(setting) ? setting : {};
  const givenPaths = Array.isArray(given.redact) ? given.redact : (given.redact?.paths ?? []);
  const serializers = { req: serializeRequest, res: serializeReply, err: serializeError };
  const censor = createCensor(PERSONAL_FIELD_NAMES, new Set(Object.keys(serializers)));
  const logOptions: LoggerOptions = {
    ...given,
    // `service`, not pino's `name`: `name` is a personal field and would be redacted.
    base: { service: options.service, version: options.version },
    // The personal names at any depth of what is logged...
    formatters: { ...given.formatters, log: censor },
    // ...and, by path, at the top level (child-logger bindings too) and the service's own paths.
    redact: {
      paths: [
        ...PERSONAL_FIELD_NAMES.map((name) => JSON.stringify([name])),
        ...givenPaths,
        ...(options.redactPaths ?? []),
      ],
      censor: CENSORED,
    },
    serializers,
    hooks: {
      // `log.error(err)` makes the message the log line's `msg`; keep only the error's class.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error) {
          const message = typeof rest[0] === 'string' ? rest[0] : first.name;
          method.apply(this, [{ err: first }, message]);
          return;
        }
        method.apply(this, args);
      },
    },
  };
  return destination === undefined ? pino(logOptions) : pino(logOptions, destination);
}
