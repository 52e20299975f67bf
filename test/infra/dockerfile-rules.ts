import { text, type Json, type JsonObject } from './schemas.js';

/**
 * What the Dockerfile must hold for the compose file that runs its image. Each rule returns the
 * problems it finds, so that a test can break either file on purpose.
 */
function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The runtime stage's instructions before `USER`: what still runs as root. */
function rootSteps(dockerfile: string): string {
  const runtime = dockerfile.split(/^FROM\s/m).at(-1) ?? '';
  const user = /^USER\s/m.exec(runtime);
  return (user ? runtime.slice(0, user.index) : runtime).replace(/\\\n/g, ' ');
}

/** The folders the runtime stage creates owned by the service user (`install -d -o node …`). */
export function foldersOwnedBy(dockerfile: string, user: string): string[] {
  return [...rootSteps(dockerfile).matchAll(/^RUN\s+(.*)$/gm)].flatMap(([, command = '']) =>
    command.split(/&&|;/).flatMap((step) => {
      const words = step.trim().split(/\s+/);
      if (words[0] !== 'install' || !words.includes('-d')) return [];
      const owner = words[words.indexOf('-o') + 1];
      if (!words.includes('-o') || owner !== user) return [];
      return words.filter((word) => word.startsWith('/'));
    }),
  );
}

/**
 * Docker fills a fresh named volume from the image's folder at its mount point, owner included:
 * every volume mounted into a service built from this Dockerfile must exist in the image, owned
 * by the user the service runs as, or the volume is root's and the service cannot write to it.
 */
export function volumeFoldersBelongToTheServiceUser(
  dockerfile: string,
  compose: JsonObject,
  dockerfilePath = 'infra/Dockerfile',
): string[] {
  const owned = foldersOwnedBy(dockerfile, 'node');
  const all = isObject(compose.services) ? Object.entries(compose.services) : [];
  return all.flatMap(([name, service]) => {
    if (!isObject(service) || !isObject(service.build)) return [];
    if (service.build.dockerfile !== dockerfilePath) return [];
    const volumes = Array.isArray(service.volumes) ? service.volumes : [];
    return volumes.flatMap((entry) => {
      const target = isObject(entry) ? text(entry.target) : (text(entry).split(':')[1] ?? '');
      return owned.includes(target)
        ? []
        : [`${name}: ${target} is not a folder of the image owned by node (the volume is root's)`];
    });
  });
}
