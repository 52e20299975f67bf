import { describe, expect, it } from 'vitest';
import { parseProjectionsArgs, parseTokenArgs, tokenUsage } from './cli-args.js';
import { DEMO_USERS, demoUser } from './demo.js';

const isUser = (name: string): boolean => demoUser(name) !== undefined;

describe('demo-token arguments', () => {
  it('names a demo user by its role, with the default lifetime', () => {
    expect(parseTokenArgs(['shelter_staff'], isUser)).toEqual({
      kind: 'run',
      command: { user: 'shelter_staff', ttlSeconds: 900, json: false },
    });
  });

  it('takes --json and --ttl', () => {
    expect(parseTokenArgs(['analyst', '--json', '--ttl', '60'], isUser)).toEqual({
      kind: 'run',
      command: { user: 'analyst', ttlSeconds: 60, json: true },
    });
  });

  it('answers --help with the users, named as the roles they hold', () => {
    expect(parseTokenArgs(['--help'], isUser)).toEqual({ kind: 'help' });
    const usage = tokenUsage(DEMO_USERS);
    for (const role of ['shelter_staff', 'care_provider', 'data_protection_officer'])
      expect(usage).toContain(`  ${role} `);
    expect(usage).not.toMatch(/^ {2}shelter /m);
  });

  it.each([
    [['--verbose', 'caseworker'], "Unknown option '--verbose'"],
    [[], 'Name a demo user'],
    [['nobody'], "Unknown demo user 'nobody'"],
    [['caseworker', 'extra'], "Unexpected argument 'extra'"],
    [['caseworker', '--ttl', '0'], '--ttl takes whole seconds from 1 to 3600'],
    [['caseworker', '--ttl'], "Option '--ttl <value>' argument missing"],
  ])('refuses %j with one line: %s', (args, message) => {
    const parsed = parseTokenArgs(args, isUser);
    expect(parsed).toEqual({ kind: 'usage-error', message });
    if (parsed.kind === 'usage-error') expect(parsed.message).not.toContain('\n');
  });
});

describe('projections arguments', () => {
  it.each([
    [['status'], { action: 'status', json: false }],
    [['status', '--json'], { action: 'status', json: true }],
    [['rebuild', 'journey'], { action: 'rebuild', name: 'journey', wait: true, json: false }],
    [
      ['rebuild', 'journey', '--no-wait'],
      { action: 'rebuild', name: 'journey', wait: false, json: false },
    ],
    [['parked'], { action: 'parked', json: false }],
    [['parked', 'journey', '--json'], { action: 'parked', name: 'journey', json: true }],
    [['retry', 'journey', 'e1'], { action: 'retry', name: 'journey', eventId: 'e1', json: false }],
  ])('reads %j', (args, command) => {
    expect(parseProjectionsArgs(args)).toEqual({ kind: 'run', command });
  });

  it.each([
    [['status', '--force'], "Unknown option '--force'"],
    [[], 'Name a command'],
    [['drop'], "Unknown command 'drop'"],
    [['rebuild'], "'rebuild' takes 1 operand(s)"],
    [['retry', 'journey'], "'retry' takes 2 operand(s)"],
    [['parked', 'a', 'b'], "'parked' takes 0 to 1 operand(s)"],
    [['status', '--no-wait'], "--no-wait is for 'rebuild' only"],
  ])('refuses %j: %s', (args, message) => {
    expect(parseProjectionsArgs(args)).toEqual({ kind: 'usage-error', message });
  });

  it('answers --help', () => {
    expect(parseProjectionsArgs(['rebuild', '--help'])).toEqual({ kind: 'help' });
  });
});
