import { readFile } from 'node:fs/promises';

/**
 * A secret given either as a value or as a file (a mounted secret); the configuration checks that
 * exactly one is set. Surrounding whitespace, such as the file's trailing newline, is dropped.
 */
export async function secretOf(
  value: string | undefined,
  file: string | undefined,
  name: string,
): Promise<string> {
  if (value !== undefined) return value.trim();
  if (file === undefined) throw new Error(`${name} is not configured`);
  return (await readFile(file, 'utf8')).trim();
}

/** The URL with the password from the file, when there is one: URLs in configuration carry none. */
export async function withPasswordFrom(
  url: string,
  passwordFile: string | undefined,
): Promise<string> {
  if (passwordFile === undefined) return url;
  const withPassword = new URL(url);
  withPassword.password = encodeURIComponent((await readFile(passwordFile, 'utf8')).trim());
  return withPassword.toString();
}

/**
 * A KurrentDB URL (`esdb://user@host…`, `esdb+discover://user@a:2113,b:2113?tls=true`) with the
 * password from the file after its user name. Not through `new URL`: a list of hosts is no URL.
 */
export async function withEsdbPasswordFrom(
  url: string,
  passwordFile: string | undefined,
): Promise<string> {
  if (passwordFile === undefined) return url;
  const user = /^(esdb(?:\+discover)?:\/\/)([^:@/?,]+)@/.exec(url);
  if (!user) {
    throw new Error(
      'EVENT_STORE_PASSWORD_FILE is set: EVENT_STORE_URL must name its user (esdb://user@host)',
    );
  }
  const password = encodeURIComponent((await readFile(passwordFile, 'utf8')).trim());
  return `${user[1] ?? ''}${user[2] ?? ''}:${password}@${url.slice(user[0].length)}`;
}
