/**
 * A model of how Caddy 2 routes a request through a Caddyfile, for the subset our Caddyfiles use:
 * site blocks by port, named matchers (`path`, `path_regexp`, `method`), `handle` blocks, and the
 * terminal `respond` and `reverse_proxy`. Anything else that could change where a request goes
 * throws, so the model never answers about a file it does not understand. The semantics follow
 * caddyhttp/httpcaddyfile: directives run in Caddy's fixed directive order (not file order; so a
 * top-level `respond` runs after every `handle`), handle blocks are mutually exclusive, and
 * routes of one directive are stable-sorted by their single path's length.
 */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly block: readonly Directive[] | undefined;
}

export interface Site {
  readonly addresses: readonly string[];
  readonly directives: readonly Directive[];
}

export type Outcome =
  | { readonly kind: 'proxy'; readonly upstream: string }
  | { readonly kind: 'respond'; readonly status: number }
  /** No handler wrote a response: Caddy answers an empty 200. */
  | { readonly kind: 'nothing' };

export interface Request {
  readonly method: string;
  readonly path: string;
}

function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return tokens;
}

/** The Caddyfile as blocks of directives; `{` ends a line that opens a block, `}` closes one. */
export function parseCaddyfile(text: string): { global: Directive[]; sites: Site[] } {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
  let at = 0;
  const readBlock = (): Directive[] => {
    const directives: Directive[] = [];
    while (at < lines.length) {
      const line = lines[at++] ?? '';
      if (line === '}') return directives;
      const tokens = tokenize(line);
      const opens = tokens.at(-1) === '{';
      const [name = '', ...args] = opens ? tokens.slice(0, -1) : tokens;
      directives.push({ name, args, block: opens ? readBlock() : undefined });
    }
    return directives;
  };
  const top = readBlock();
  const global: Directive[] = [];
  const sites: Site[] = [];
  top.forEach((entry, index) => {
    if (entry.block === undefined) throw new Error(`Caddyfile: "${entry.name}" outside a block`);
    if (entry.name === '' && index === 0) global.push(...entry.block);
    else sites.push({ addresses: [entry.name, ...entry.args], directives: entry.block });
  });
  return { global, sites };
}

/** The site that listens on a port (`:8080`, `http://:8080`, `host:8080`). */
export function siteOnPort(sites: readonly Site[], port: number): Site | undefined {
  return sites.find((site) =>
    site.addresses.some((address) => new RegExp(`:${String(port)}$`).test(address)),
  );
}

type Matcher = (request: Request) => boolean;

/** Caddy's `path` matcher: case-insensitive; `*` at the end is a prefix, at the start a suffix. */
function pathMatcher(patterns: readonly string[]): Matcher {
  return ({ path }) =>
    patterns.some((raw) => {
      const pattern = raw.toLowerCase();
      const lower = path.toLowerCase();
      if (pattern === '*') return true;
      const starts = pattern.startsWith('*');
      const ends = pattern.endsWith('*');
      const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
      if (core.includes('*')) throw new Error(`path pattern ${raw}: inner * is not modelled`);
      if (starts && ends) return lower.includes(core);
      if (ends) return lower.startsWith(core);
      if (starts) return lower.endsWith(core);
      return lower === core;
    });
}

function matcherOf(name: string, args: readonly string[]): Matcher {
  switch (name) {
    case 'path':
      return pathMatcher(args);
    case 'path_regexp': {
      const source = args.length === 2 ? args[1] : args[0];
      if (source === undefined) throw new Error('path_regexp without a pattern');
      // Go's RE2 and JavaScript agree on the patterns we write (classes, groups, anchors).
      const regexp = new RegExp(source);
      return ({ path }) => regexp.test(path);
    }
    case 'method':
      return ({ method }) => args.some((candidate) => candidate.toUpperCase() === method);
    default:
      throw new Error(`matcher ${name} is not modelled`);
  }
}

interface Route {
  readonly directive: Directive;
  readonly matches: Matcher;
  /** Whether the route has a matcher at all, and its single path when it has exactly one. */
  readonly matched: boolean;
  readonly singlePath: string | undefined;
}

/** Named matchers of a block: `@name matcher args` or `@name { matcher args ... }` (all must hold). */
function namedMatchers(directives: readonly Directive[]): Map<string, Route> {
  const named = new Map<string, Route>();
  for (const directive of directives.filter((d) => d.name.startsWith('@'))) {
    const parts =
      directive.block === undefined
        ? [{ name: directive.args[0] ?? '', args: directive.args.slice(1) }]
        : directive.block.map((line) => ({ name: line.name, args: line.args }));
    const matchers = parts.map((part) => matcherOf(part.name, part.args));
    const paths = parts.filter((part) => part.name === 'path').flatMap((part) => part.args);
    named.set(directive.name, {
      directive,
      matches: (request) => matchers.every((matches) => matches(request)),
      matched: true,
      singlePath: paths.length === 1 ? paths[0] : undefined,
    });
  }
  return named;
}

/** Caddy's standard directive order, for the directives we route with. */
const ORDER = ['request_body', 'handle', 'respond', 'reverse_proxy'];
/** Directives that never change where a request goes. */
const NEUTRAL = new Set(['request_body', 'admin', 'encode', 'log', 'header']);

function routesOf(directives: readonly Directive[]): Route[] {
  const named = namedMatchers(directives);
  const routes = directives
    .filter((directive) => !directive.name.startsWith('@'))
    .map((directive): Route => {
      if (!ORDER.includes(directive.name) && !NEUTRAL.has(directive.name)) {
        throw new Error(`directive ${directive.name} is not modelled`);
      }
      const first = directive.args[0];
      if (first?.startsWith('@') === true) {
        const matcher = named.get(first);
        if (!matcher) throw new Error(`matcher ${first} is not defined`);
        return { ...matcher, directive };
      }
      if (first?.startsWith('/') === true && directive.name !== 'reverse_proxy') {
        return { directive, matches: pathMatcher([first]), matched: true, singlePath: first };
      }
      return { directive, matches: () => true, matched: false, singlePath: undefined };
    });
  return sortRoutes(routes);
}

/**
 * httpcaddyfile's sortRoutes, with Go's stable insertion sort (what sort.SliceStable does for up
 * to 20 elements): by directive order, then the longer single path first; a route without a
 * single path sorts before another only when it has a matcher and the other has none.
 */
function sortRoutes(routes: Route[]): Route[] {
  if (routes.length > 20) throw new Error('more than 20 routes in a block: not modelled');
  const rank = (route: Route): number => {
    const index = ORDER.indexOf(route.directive.name);
    return index < 0 ? -1 : index;
  };
  const less = (a: Route, b: Route): boolean => {
    if (a.directive.name !== b.directive.name) return rank(a) < rank(b);
    const aLength = a.singlePath?.length ?? 0;
    const bLength = b.singlePath?.length ?? 0;
    if (aLength > 0 && bLength > 0 && a.singlePath !== undefined && b.singlePath !== undefined) {
      if (a.singlePath.replace(/\*$/, '') === b.singlePath.replace(/\*$/, '')) {
        return aLength < bLength;
      }
      return aLength > bLength;
    }
    return a.matched && !b.matched;
  };
  const sorted = [...routes];
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0; j--) {
      const current = sorted[j];
      const previous = sorted[j - 1];
      if (current === undefined || previous === undefined || !less(current, previous)) break;
      sorted[j] = previous;
      sorted[j - 1] = current;
    }
  }
  return sorted;
}

function terminal(directive: Directive): Outcome | undefined {
  const args =
    directive.args[0]?.startsWith('@') === true ? directive.args.slice(1) : directive.args;
  if (directive.name === 'reverse_proxy') {
    const upstreams = args.filter((arg) => !arg.startsWith('/'));
    if (upstreams.length !== 1 || upstreams[0] === undefined) {
      throw new Error('reverse_proxy: exactly one upstream is modelled');
    }
    return { kind: 'proxy', upstream: upstreams[0] };
  }
  if (directive.name === 'respond') {
    const positional = args.filter((arg) => !arg.startsWith('/'));
    const status = positional.find((arg) => /^\d{3}$/.test(arg));
    return { kind: 'respond', status: status === undefined ? 200 : Number(status) };
  }
  return undefined;
}

function run(directives: readonly Directive[], request: Request): Outcome | undefined {
  let handled = false;
  for (const route of routesOf(directives)) {
    if (NEUTRAL.has(route.directive.name) || !route.matches(request)) continue;
    if (route.directive.name === 'handle') {
      // Handle blocks are mutually exclusive: the first that matches is the only one to run.
      if (handled) continue;
      handled = true;
      const inner = run(route.directive.block ?? [], request);
      if (inner) return inner;
      continue;
    }
    const outcome = terminal(route.directive);
    if (outcome) return outcome;
  }
  return undefined;
}

/** Where the site sends the request. */
export function routeThroughSite(site: Site, request: Request): Outcome {
  return run(site.directives, request) ?? { kind: 'nothing' };
}
