import { parseArgs } from 'node:util';

/** What a command line asks for, or why it cannot be run (a one-line message, exit code 2). */
export type Parsed<Command> =
  | { readonly kind: 'run'; readonly command: Command }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

function tryParse<Result>(parse: () => Result): Result | string {
  try {
    return parse();
  } catch (error) {
    // node:util's own wording ("Unknown option '--x'. To specify a positional argument ..."),
    // cut to its first sentence.
    const message = error instanceof Error ? error.message : String(error);
    return message.split('. ')[0]?.replace(/\.$/, '') ?? message;
  }
}

export interface TokenCommand {
  readonly user: string;
  readonly ttlSeconds: number;
  readonly json: boolean;
}

export function tokenUsage(users: Readonly<Record<string, { description: string }>>): string {
  return `usage: pnpm demo-token <user> [--ttl <seconds>] [--json]
Prints a short-lived bearer token for a demo user of the local installation (DATA_DIR, default .data).
  --ttl <seconds>  lifetime of the token (default 900, at most 3600)
  --json           print {"user", "token", "expiresIn"} instead of the bare token
  -h, --help       this help
users (named by their role):
${Object.entries(users)
  .map(([name, demo]) => `  ${name.padEnd(22)} ${demo.description}`)
  .join('\n')}
`;
}

/** `demo-token` arguments: one known user, an optional lifetime, `--json`. */
export function parseTokenArgs(
  args: readonly string[],
  isUser: (name: string) => boolean,
): Parsed<TokenCommand> {
  const parsed = tryParse(() =>
    parseArgs({
      args: [...args],
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        ttl: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const [user, ...extra] = positionals;
  if (user === undefined) return { kind: 'usage-error', message: 'Name a demo user' };
  if (extra.length > 0)
    return { kind: 'usage-error', message: `Unexpected argument '${extra.join(' ')}'` };
  if (!isUser(user)) return { kind: 'usage-error', message: `Unknown demo user '${user}'` };
  const ttl = values.ttl === undefined ? 900 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3_600)
    return { kind: 'usage-error', message: '--ttl takes whole seconds from 1 to 3600' };
  return { kind: 'run', command: { user, ttlSeconds: ttl, json: values.json === true } };
}

export type ProjectionsCommand = { readonly json: boolean } & (
  | { readonly action: 'status' }
  | { readonly action: 'rebuild'; readonly name: string; readonly wait: boolean }
  | { readonly action: 'parked'; readonly name?: string }
  | { readonly action: 'retry'; readonly name: string; readonly eventId: string }
);

export const PROJECTIONS_USAGE = `usage: pnpm projections <command> [--json]
The read models of the local installation (DATA_DIR, default .data); through the server if it runs.
  status                     every read model: generation, status, applied, behind, parked
  rebuild <name> [--no-wait] build <name> again into fresh tables (the old ones serve meanwhile)
  parked [name]              events a projection failed on, with their error and position
  retry <name> <event-id>    apply a parked event again (after the projection was fixed)
  --json                     print the answer as JSON
  -h, --help                 this help
`;

const ARITY = { status: [0, 0], rebuild: [1, 1], parked: [0, 1], retry: [2, 2] } as const;

/** `projections` arguments: a command, its operands, `--json`, `--no-wait` for rebuild. */
export function parseProjectionsArgs(args: readonly string[]): Parsed<ProjectionsCommand> {
  const parsed = tryParse(() =>
    parseArgs({
      args: [...args],
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        'no-wait': { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const [action, ...operands] = positionals;
  if (action === undefined) return { kind: 'usage-error', message: 'Name a command' };
  if (!(action in ARITY)) return { kind: 'usage-error', message: `Unknown command '${action}'` };
  const [least, most] = ARITY[action as keyof typeof ARITY];
  if (operands.length < least || operands.length > most)
    return {
      kind: 'usage-error',
      message: `'${action}' takes ${least === most ? String(least) : `${String(least)} to ${String(most)}`} operand(s)`,
    };
  if (values['no-wait'] === true && action !== 'rebuild')
    return { kind: 'usage-error', message: `--no-wait is for 'rebuild' only` };
  const json = values.json === true;
  const [first = '', second = ''] = operands;
  switch (action as keyof typeof ARITY) {
    case 'status':
      return { kind: 'run', command: { action: 'status', json } };
    case 'rebuild':
      return {
        kind: 'run',
        command: { action: 'rebuild', name: first, wait: values['no-wait'] !== true, json },
      };
    case 'parked':
      return {
        kind: 'run',
        command: { action: 'parked', ...(operands.length > 0 ? { name: first } : {}), json },
      };
    case 'retry':
      return { kind: 'run', command: { action: 'retry', name: first, eventId: second, json } };
  }
}
