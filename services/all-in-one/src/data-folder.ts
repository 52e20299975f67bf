import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder holds every event, key and read model of the installation: only the account
 * that runs Waypoint may read it. Created 0700 if missing; if it exists (copied in, restored from
 * a backup, created by an older version), every folder in it is set to 0700 and every file to
 * 0600, on every start. Symbolic links are left alone (their target is not ours to change).
 */
export function secureDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir);
}

function tighten(folder: string): void {
  chmodSync(folder, 0o700);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) tighten(path);
    else if (entry.isFile() && (lstatSync(path).mode & 0o7777) !== 0o600) chmodSync(path, 0o600);
  }
}
