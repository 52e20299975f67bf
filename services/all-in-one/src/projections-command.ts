import type { GenerationStatus, ParkedEvent } from '@waypoint/projections';
import type { ProjectionsCommand } from './cli-args.js';
import type { ProgressSink } from './progress.js';

/** The read models' operations, through the running server or on the data folder directly. */
export interface ReadModelAdmin {
  status(): Promise<GenerationStatus[]>;
  rebuild(name: string): Promise<{ name: string; generation: number }>;
  parked(name?: string): Promise<ParkedEvent[]>;
  retry(name: string, eventId: string): Promise<{ outcome: string }>;
  close(): Promise<void>;
}

export interface Output {
  write(text: string): unknown;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Waits until the rebuilt generation serves, showing how far it is. */
async function untilActive(
  admin: ReadModelAdmin,
  name: string,
  generation: number,
  progress: ProgressSink,
  pollMs: number,
): Promise<void> {
  let bar: ReturnType<ProgressSink> | undefined;
  for (;;) {
    const entry = (await admin.status()).find(
      (candidate) => candidate.name === name && candidate.generation === generation,
    );
    if (!entry) throw new Error(`generation ${String(generation)} of ${name} is gone`);
    if (entry.status === 'active') {
      bar?.finish();
      return;
    }
    if (entry.runner === 'failed') throw new Error(`the rebuild of ${name} failed: see the logs`);
    bar ??= progress(`rebuilding ${name}`, entry.eventsApplied + entry.lag.eventsBehind);
    bar.update(entry.eventsApplied);
    await sleep(pollMs);
  }
}

const statusLine = (p: GenerationStatus): string =>
  `${p.name} generation ${String(p.generation)} v${String(p.version)} ${p.status} (${p.runner}): ${String(p.eventsApplied)} applied, ${String(p.lag.eventsBehind)} behind, ${String(p.parked)} parked\n`;

/** Runs one parsed `projections` command; the exit code (0 done, 1 failed). */
export async function runProjectionsCommand(
  command: ProjectionsCommand,
  admin: ReadModelAdmin,
  out: Output,
  progress: ProgressSink,
  pollMs = 500,
): Promise<number> {
  const print = (json: unknown, text: string): void => {
    out.write(command.json ? `${JSON.stringify(json)}\n` : text);
  };
  switch (command.action) {
    case 'status': {
      const projections = await admin.status();
      print({ projections }, projections.map(statusLine).join(''));
      return 0;
    }
    case 'rebuild': {
      const started = await admin.rebuild(command.name);
      if (command.wait)
        await untilActive(admin, command.name, started.generation, progress, pollMs);
      print(
        { ...started, active: command.wait },
        command.wait
          ? `${command.name} generation ${String(started.generation)} is active\n`
          : `rebuilding ${command.name} into generation ${String(started.generation)}; the active generation serves until it has caught up\n`,
      );
      return 0;
    }
    case 'parked': {
      const parked = await admin.parked(command.name);
      print(
        { parked },
        parked.length === 0
          ? 'no parked events\n'
          : parked
              .map(
                (p) =>
                  `${p.name} ${p.eventId} ${p.type} ${p.stream}@${String(p.revision)}: ${p.error}\n`,
              )
              .join(''),
      );
      return 0;
    }
    case 'retry': {
      const result = await admin.retry(command.name, command.eventId);
      print(result, `${command.name} ${command.eventId}: ${result.outcome}\n`);
      return result.outcome === 'applied' ? 0 : 1;
    }
  }
}
