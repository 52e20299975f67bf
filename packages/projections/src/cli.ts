import type { ProjectionEngine } from './engine.js';

export interface CliOutput {
  write(text: string): void;
}

export const CLI_USAGE = `usage: projections <command>
  status                    every read model: generation, status, position, lag, parked events
  rebuild <name> [--no-wait] build <name> again into fresh tables; the old ones serve until it has caught up
  parked [name]             events a projection failed on, with their error and position
  retry <name> <event id>   apply a parked event again (after the projection was fixed)
`;

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/**
 * The `projections` command, over an engine the caller built on the right store and database.
 * Returns the process exit code: 0 done, 1 failed, 2 wrong usage.
 */
export async function runProjectionsCli(
  args: readonly string[],
  engine: ProjectionEngine,
  out: CliOutput,
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'status': {
      const statuses = await engine.status();
      out.write(
        table([
          ['NAME', 'GEN', 'VERSION', 'STATUS', 'RUNNER', 'APPLIED', 'BEHIND', 'SECONDS', 'PARKED'],
          ...statuses.map((s) => [
            s.name,
            String(s.generation),
            String(s.version),
            s.status,
            s.runner,
            String(s.eventsApplied),
            `${String(s.lag.eventsBehind)}${s.lag.capped ? '+' : ''}`,
            s.lag.secondsBehind.toFixed(1),
            String(s.parked),
          ]),
        ]),
      );
      return 0;
    }
    case 'rebuild': {
      const [name, flag] = rest;
      if (!name) {
        out.write(CLI_USAGE);
        return 2;
      }
      const generation = await engine.rebuild(name);
      out.write(
        `rebuilding ${name} into generation ${String(generation.generation)}; the active generation serves until it has caught up\n`,
      );
      if (flag === '--no-wait') return 0;
      await engine.whenActive(name, generation.generation);
      out.write(`${name} generation ${String(generation.generation)} is active\n`);
      return 0;
    }
    case 'parked': {
      const parked = await engine.parked(rest[0]);
      if (parked.length === 0) {
        out.write('no parked events\n');
        return 0;
      }
      out.write(
        table([
          ['NAME', 'GEN', 'EVENT', 'TYPE', 'STREAM', 'REVISION', 'POSITION', 'PARKED AT', 'ERROR'],
          ...parked.map((p) => [
            p.name,
            String(p.generation),
            p.eventId,
            p.type,
            p.stream,
            String(p.revision),
            p.position,
            p.parkedAt,
            p.error.split('\n')[0] ?? '',
          ]),
        ]),
      );
      return 0;
    }
    case 'retry': {
      const [name, eventId] = rest;
      if (!name || !eventId) {
        out.write(CLI_USAGE);
        return 2;
      }
      const outcome = await engine.retryParked(name, eventId);
      out.write(`${eventId}: ${outcome}\n`);
      return outcome === 'applied' ? 0 : 1;
    }
    default:
      out.write(CLI_USAGE);
      return 2;
  }
}
