// The slash command tree built from the real registry: valid by Discord's rules, typed from each
// command's schema, and mapped back to the same registry names when an interaction arrives.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { discordCredentials } from '../../adapters/discord/env.ts';
import { buildCommands, commandNameFor, discordName, placements } from '../../adapters/discord/commands.ts';
import { registry } from '../../src/app.ts';
import { defineCommand, describeArgs, type CommandDef } from '../../src/core/command.ts';
import { CommandRegistry } from '../../src/core/registry.ts';
import { reply } from '../../src/core/reply.ts';

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

describe('Discord command tree', () => {
  const commands = buildCommands(registry);

  it('follows Discord naming, description, count and size rules for every registry command', () => {
    expect(commands[0]!.name).toBe('partner');
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
      const key = `${p.group ?? ''}/${p.subcommand}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      expect(commandNameFor(registry, p.group ?? null, p.subcommand)).toBe(name);
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
    expect(commandNameFor(small, 'plan', 'show')).toBe('plan');
    const pick = root.options.find((o: any) => o.name === 'pick');
    expect(pick.options[0]).toMatchObject({ autocomplete: true });
    expect(pick.options[0].choices).toBeUndefined();
    expect(discordName('dueDate')).toBe('due-date');
    expect(describeArgs(defs[0]!).map((a) => discordName(a.name))).toEqual(['note', 'due-date']);
  });
});

describe('Discord settings from the environment', () => {
  it('is off without a token, complete with both values, and names what is missing', () => {
    expect(discordCredentials({})).toBeUndefined();
    expect(discordCredentials({ DISCORD_TOKEN: ' t ', DISCORD_APPLICATION_ID: '123' })).toEqual({ token: 't', applicationId: '123' });
    expect(() => discordCredentials({ DISCORD_TOKEN: 't' })).toThrow(/DISCORD_APPLICATION_ID/);
    expect(() => discordCredentials({ DISCORD_APPLICATION_ID: '123' })).toThrow(/DISCORD_TOKEN/);
    expect(() => discordCredentials({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'my-app' })).toThrow(/numeric/);
  });
});
