// The slash command tree built from the real registry: valid by Discord's rules, typed from each
// command's schema, and mapped back to the same registry names when an interaction arrives.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCommands, characters as discordCharacters, commandNameFor, discordName, placements } from '../../adapters/discord/commands.ts';
import { topics } from '../../commands/topics.ts';
import { registry } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { defineCommand, describeArgs, type CommandDef } from '../../src/core/command.ts';
import { CommandRegistry } from '../../src/core/registry.ts';
import { reply } from '../../src/core/reply.ts';
import { throughBuilders } from './builders.ts';

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function walk(option: any, visit: (o: any) => void): void {
  visit(option);
  for (const child of option.options ?? []) walk(child, visit);
}

function characters(option: any): number {
  let n = (option.name?.length ?? 0) + (option.description?.length ?? 0);
  for (const c of option.choices ?? []) n += c.name.length + String(c.value).length;
  for (const child of option.options ?? []) n += characters(child);
  return n;
}

/** Headroom under Discord's 25 entries and 8,000 characters per command, so the next commands fit. */
const MAX_ENTRIES = 20;
const MAX_CHARACTERS = 6000;

describe('Discord command tree', () => {
  const commands = buildCommands(registry);

  it('is a payload discord.js\'s own builders produce and accept', () => {
    for (const command of commands) expect(throughBuilders(command)).toEqual(command);
  });

  it('leaves room to grow: at most 20 entries and 6,000 characters in any top-level command', () => {
    for (const command of commands) {
      expect(command.options!.length, `/${command.name} entries`).toBeLessThanOrEqual(MAX_ENTRIES);
      expect(characters(command), `/${command.name} characters`).toBeLessThanOrEqual(MAX_CHARACTERS);
      expect(discordCharacters(command)).toBe(characters(command));
    }
    expect(commands.map((c) => c.name)).toEqual(['partner', ...topics.map((t) => t.name)]);
  });

  it('is what "partnerbot discord commands --json" prints', { timeout: 60_000 }, () => {
    const run = spawnSync(process.execPath, ['bin/partnerbot.mjs', 'discord', 'commands', '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(commands)));
  });

  it('gives every registry command a path in the payload, and reads it back to the same command', () => {
    const paths = new Set<string>();
    for (const command of commands) {
      for (const entry of command.options as any[]) {
        if (entry.type === 2) for (const sub of entry.options) paths.add(`${command.name} ${entry.name} ${sub.name}`);
        else paths.add(`${command.name} ${entry.name}`);
      }
    }
    const placed = placements(registry);
    for (const def of registry.commands) {
      const p = placed.get(def.name);
      expect(p, `${def.name} has no Discord path`).toBeDefined();
      expect(paths.has([p!.command, p!.group, p!.subcommand].filter(Boolean).join(' ')), `${def.name} is not in the payload`).toBe(true);
      expect(commandNameFor(registry, p!.command, p!.group ?? null, p!.subcommand)).toBe(def.name);
    }
    expect(paths.size).toBe(registry.commands.length);
  });

  it('puts a new command of a family under its topic with no adapter change', () => {
    const close = defineCommand({ name: 'agenda close', summary: 'Close', examples: [], args: z.object({}), permission: 'anyone', handler: async () => reply(undefined, []) });
    const grown = new CommandRegistry([...registry.commands, close as unknown as CommandDef], topics);
    expect(placements(grown).get('agenda close')).toEqual({ command: 'plenary', group: 'agenda', subcommand: 'close' });
    expect(placements(grown).get('notify mute')).toEqual({ command: 'notify', subcommand: 'mute' });
    expect(placements(grown).get('plenary')).toEqual({ command: 'plenary', subcommand: 'show' });
  });

  it('follows Discord naming, description, count and size rules for every registry command', () => {
    for (const command of commands) {
      expect(characters(command)).toBeLessThanOrEqual(8000);
      expect(command.options!.length).toBeLessThanOrEqual(25);
      walk(command, (o) => {
        expect(o.name).toMatch(NAME);
        expect(o.name).toBe(o.name.toLowerCase());
        expect(o.description.length).toBeGreaterThanOrEqual(1);
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect((o.options ?? []).length).toBeLessThanOrEqual(25);
        expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
        const required = (o.options ?? []).map((c: any) => c.required === true);
        expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      });
    }
  });

  it('maps every registry command to a unique place and back', () => {
    const seen = new Set<string>();
    for (const [name, p] of placements(registry)) {
      const key = `${p.command}/${p.group ?? ''}/${p.subcommand}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      expect(commandNameFor(registry, p.command, p.group ?? null, p.subcommand)).toBe(name);
    }
    expect(seen.size).toBe(registry.commands.length);
  });

  it('types options from the schema: groups, integers, booleans, enums, autocomplete', () => {
    const options = commands.flatMap((c) => c.options ?? []) as any[];
    const milestone = options.find((o) => o.name === 'milestone');
    expect(milestone.type).toBe(2);
    const move = milestone.options.find((o: any) => o.name === 'move');
    expect(move.options.map((o: any) => [o.name, o.type, o.required, o.autocomplete === true])).toEqual([
      ['id', 3, true, true],
      ['when', 3, true, false],
      ['tentative', 5, false, false],
    ]);
    const status = milestone.options.find((o: any) => o.name === 'status');
    expect(status.options.find((o: any) => o.name === 'status').choices.map((c: any) => c.value)).toEqual([
      'planned',
      'in_progress',
      'done',
      'delayed',
      'cancelled',
    ]);
    const due = options.find((o) => o.name === 'due');
    expect(due.type).toBe(1);
    const days = due.options.find((o: any) => o.name === 'days');
    expect(days.type).toBe(4);
  });

  it('handles awkward declarations: camelCase options, a head that is both a command and a group, long text', () => {
    const noop = async () => reply(undefined, []);
    const defs = [
      defineCommand({
        name: 'plan',
        summary: 'x'.repeat(300),
        examples: [],
        args: z.object({ note: z.string().optional().describe('Optional first'), dueDate: z.string().describe('d'.repeat(200)) }),
        permission: 'anyone',
        handler: noop,
      }),
      defineCommand({ name: 'plan add', summary: 'Add', examples: [], args: z.object({}), permission: 'anyone', handler: noop }),
      defineCommand({
        name: 'pick',
        summary: 'Many choices',
        examples: [],
        args: z.object({ colour: z.enum(Array.from({ length: 30 }, (_, i) => `c${i}`) as [string, ...string[]]) }),
        permission: 'anyone',
        handler: noop,
      }),
    ] as unknown as CommandDef[];
    const small = new CommandRegistry(defs);
    const [root] = buildCommands(small) as any[];
    const plan = root.options.find((o: any) => o.name === 'plan');
    expect(plan.options.map((o: any) => o.name)).toEqual(['show', 'add']);
    const show = plan.options[0];
    expect(show.description).toHaveLength(100);
    expect(show.options.map((o: any) => o.name)).toEqual(['due-date', 'note']);
    expect(show.options[0].description).toHaveLength(100);
    expect(commandNameFor(small, 'partner', 'plan', 'show')).toBe('plan');
    const pick = root.options.find((o: any) => o.name === 'pick');
    expect(pick.options[0]).toMatchObject({ autocomplete: true });
    expect(pick.options[0].choices).toBeUndefined();
    expect(discordName('dueDate')).toBe('due-date');
    expect(describeArgs(defs[0]!).map((a) => discordName(a.name))).toEqual(['note', 'due-date']);
  });
});

describe('Discord settings from the environment', () => {
  it('is off without a token, complete with both values, and names what is missing', () => {
    expect(loadConfig({}).DISCORD_TOKEN).toBeUndefined();
    expect(loadConfig({ DISCORD_TOKEN: ' t ', DISCORD_APPLICATION_ID: '123' })).toMatchObject({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123' });
    expect(() => loadConfig({ DISCORD_TOKEN: 't' })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'my-app' })).toThrow(/numeric/);
    expect(() => loadConfig({ DISCORD_GUILD_ID: 'my-server' })).toThrow(/^configuration: DISCORD_GUILD_ID must be a Discord server id/);
    expect(loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9/api/' }).DISCORD_API_URL).toBe('http://127.0.0.1:9/api');
    expect(() => loadConfig({ DISCORD_API_URL: 'discord.com/api' })).toThrow(/^configuration: DISCORD_API_URL must be/);
  });
});
