/**
 * What an error body must never carry: the internals an attacker maps a system with. Each
 * pattern names what it catches, so a failure says which leak it found.
 */
export const LEAK_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a stack frame', pattern: /\bat [\w$.<>[\] ]*\(?(?:file:\/\/|\/|node:|[A-Z]:\\)/ },
  { name: 'a stack frame', pattern: /\n\s+at / },
  { name: 'an absolute path', pattern: /at \// },
  {
    name: 'a source file path',
    pattern: /(?:\/[\w.@-]+){2,}\.(?:ts|js|mjs|cjs|json|sqlite)\b|node_modules|file:\/\//,
  },
  { name: 'a temp or data folder', pattern: /\/tmp\/|waypoint-security-|\.data\// },
  {
    name: 'SQL from a driver',
    pattern:
      /\b(?:SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|syntax error at or near|SQLITE_\w+|relation \\?"\w+\\?" does not exist|duplicate key value|violates \w+ constraint|pg_\w+\()/i,
  },
  {
    name: 'an error class name',
    pattern: /\b(?:TypeError|RangeError|ReferenceError|SyntaxError):/,
  },
  {
    name: 'an internal hostname',
    pattern: /\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|::1|\.internal\b|\.local\b|\.svc\.cluster)/i,
  },
  { name: 'a key or secret', pattern: /-----BEGIN|"d"\s*:\s*"[\w-]{20,}"|masterKey|blindIndexKey/ },
];

/** The leaks found in one body, by name. */
export function leaksIn(body: string): string[] {
  return LEAK_PATTERNS.filter(({ pattern }) => pattern.test(body)).map(({ name }) => name);
}

/** Every error body a suite saw, so that one spec can check them all at the end. */
export class ErrorBodies {
  private readonly bodies: { readonly request: string; readonly body: string }[] = [];

  keep(request: string, body: string): void {
    this.bodies.push({ request, body });
  }

  get count(): number {
    return this.bodies.length;
  }

  /** Each body that leaks, with what it leaks. */
  leaks(): { request: string; leaks: string[]; body: string }[] {
    return this.bodies
      .map(({ request, body }) => ({ request, body, leaks: leaksIn(body) }))
      .filter(({ leaks }) => leaks.length > 0);
  }
}
