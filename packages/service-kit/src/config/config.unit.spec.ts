import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { generateSigningKeyPair, mintToken } from '../auth/signing-keys.js';
import { authenticatorFromConfig, baseConfigSchema } from './base-config.js';
import { ConfigError, configOrExit, describeConfig, loadConfig } from './config.js';

const required = { AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'waypoint' };
const jwks = { ...required, AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json' };

function problemsOf(work: () => unknown): ConfigError['problems'] {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig with the base schema', () => {
  it('fills the defaults: loopback, 64 KiB bodies, 15-minute tokens, tracing off', () => {
    expect(loadConfig(baseConfigSchema, jwks)).toEqual({
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 65536,
      RATE_LIMIT_PER_MINUTE: 600,
      AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://issuer.example',
      AUTH_AUDIENCE: 'waypoint',
      TOKEN_MAX_LIFETIME_SECONDS: 900,
      DPO_ORG_IDS: [],
    });
  });

  it('reads numbers from their text and treats an empty value as unset', () => {
    const config = loadConfig(baseConfigSchema, {
      ...jwks,
      PORT: '8080',
      HOST: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    });
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('lists every bad key at once, with its description, without quoting values', () => {
    const problems = problemsOf(() =>
      loadConfig(baseConfigSchema, {
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        AUTH_PUBLIC_JWK: '{"secret-value": true',
        AUTH_AUDIENCE: 'waypoint',
      }),
    );
    expect(problems.map((problem) => problem.key).sort()).toEqual([
      'AUTH_ISSUER',
      'AUTH_PUBLIC_JWK',
      'LOG_LEVEL',
      'PORT',
    ]);
    const port = problems.find((problem) => problem.key === 'PORT');
    expect(port?.description).toMatch(/TCP port/);
    const message = new ConfigError(problems).message;
    expect(message).toMatch(/Invalid configuration \(4 keys\)/);
    expect(message).not.toContain('eighty');
    expect(message).not.toContain('secret-value');
  });

  it('reports the missing token key together with the other bad keys', () => {
    const problems = problemsOf(() => loadConfig(baseConfigSchema, { ...required, PORT: '-1' }));
    expect(problems.map((problem) => problem.key).sort()).toEqual(['AUTH_JWKS_URL', 'PORT']);
  });

  it('requires exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_JWK', async () => {
    expect(problemsOf(() => loadConfig(baseConfigSchema, required))).toEqual([
      expect.objectContaining({
        key: 'AUTH_JWKS_URL',
        message: expect.stringMatching(/neither is set/) as unknown,
      }),
    ]);
    const { publicJwk } = await generateSigningKeyPair();
    const both = { ...jwks, AUTH_PUBLIC_JWK: JSON.stringify(publicJwk) };
    expect(problemsOf(() => loadConfig(baseConfigSchema, both))[0]?.message).toMatch(
      /both are set/,
    );
  });

  it('refuses a private key as AUTH_PUBLIC_JWK', async () => {
    const { privateJwk } = await generateSigningKeyPair();
    const problems = problemsOf(() =>
      loadConfig(baseConfigSchema, { ...required, AUTH_PUBLIC_JWK: JSON.stringify(privateJwk) }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'AUTH_PUBLIC_JWK',
        message: expect.stringMatching(/private key/) as unknown,
      }),
    ]);
    expect(new ConfigError(problems).message).not.toContain(String(privateJwk.d));
  });

  it('gives an authenticator that accepts the tokens of the configured key', async () => {
    const { privateJwk, publicJwk } = await generateSigningKeyPair();
    const config = loadConfig(baseConfigSchema, {
      ...required,
      AUTH_PUBLIC_JWK: JSON.stringify(publicJwk),
    });
    const token = await mintToken(privateJwk, {
      sub: 'user-1',
      org: 'org-1',
      roles: ['caseworker'],
      ttlSeconds: 60,
      issuer: required.AUTH_ISSUER,
      audience: required.AUTH_AUDIENCE,
    });
    await expect(authenticatorFromConfig(config).authenticate(`Bearer ${token}`)).resolves.toEqual({
      userId: 'user-1',
      orgId: 'org-1',
      roles: ['caseworker'],
    });
  });

  it('lets a service extend it with its own keys', () => {
    const schema = baseConfigSchema.extend({
      EVENT_STORE_URL: z
        .string()
        .min(1)
        .describe('Where the events are: postgres:// or a SQLite file.'),
    });
    expect(problemsOf(() => loadConfig(schema, jwks)).map((problem) => problem.key)).toEqual([
      'EVENT_STORE_URL',
    ]);
    expect(
      loadConfig(schema, { ...jwks, EVENT_STORE_URL: 'postgres://db/waypoint' }).EVENT_STORE_URL,
    ).toBe('postgres://db/waypoint');
  });
});

describe('documentation of keys', () => {
  it('is required: a key without .describe() is refused', () => {
    const schema = z.object({ DOCUMENTED: z.string().describe('yes'), SILENT: z.string() });
    expect(() => loadConfig(schema, {})).toThrow(/without \.describe\(\): SILENT/);
    expect(() => describeConfig(schema)).toThrow(/SILENT/);
  });

  it('renders as a Markdown table with required keys and defaults', () => {
    const table = describeConfig(baseConfigSchema);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Key | Required | Default | Description |');
    expect(lines).toHaveLength(2 + Object.keys(baseConfigSchema.shape).length);
    expect(table).toContain('| `HOST` | no | `127.0.0.1` | Address to listen on.');
    expect(table).toContain('| `AUTH_ISSUER` | yes |  | Expected `iss` of bearer tokens. |');
    expect(table).toContain('| `BODY_LIMIT_BYTES` | no | `65536` |');
  });
});

describe('configOrExit', () => {
  it('prints the problems and exits with 1', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => configOrExit(baseConfigSchema, { PORT: 'x' })).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(1);
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/Invalid configuration[\s\S]*PORT/);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });

  it('returns the configuration when it is valid', () => {
    expect(configOrExit(baseConfigSchema, jwks).AUTH_AUDIENCE).toBe('waypoint');
  });
});
