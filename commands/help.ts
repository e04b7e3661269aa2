import { z } from 'zod';
import { defineCommand, describeArgs, usage } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { whoMay } from '../src/core/permissions.ts';
import { context, fields, list, reply, text } from '../src/core/reply.ts';

export const help = defineCommand({
  name: 'help',
  aliases: ['?'],
  summary: 'List the commands, or explain one',
  examples: ['help', 'help due', 'help milestone move'],
  args: z.object({ command: z.string().optional().describe('A command name, e.g. "due" or "milestone move"') }),
  positional: ['command'],
  restPositional: true,
  permission: 'anyone',
  async handler(ctx, { command }) {
    const { registry } = ctx;
    if (!command) {
      const rows = [...registry.groups()].map(([head, defs]) => {
        const names = defs.map((d) => d.name).join(', ');
        return defs.length === 1 ? `${names} — ${defs[0]!.summary}` : `${head}: ${names.replace(new RegExp(`${head} `, 'g'), '')}`;
      });
      return reply('partnerbot commands', [
        list(rows),
        context('Type "help <command>" for details. Ids: A1 (Action), A1.3 (activity), A1.O2 (output), P4 (plenary).'),
      ], { ephemeral: true });
    }
    const def = registry.get(command.trim());
    if (!def) {
      const group = [...registry.groups()].find(([head]) => head === command.trim().toLowerCase());
      if (group) return reply(`${group[0]} commands`, [list(group[1].map((d) => `${usage(d)} — ${d.summary} (${whoMay(d)})`))], { ephemeral: true });
      throw new UserError(`There is no command "${command}".`, 'Type "help" for all commands.');
    }
    const args = describeArgs(def);
    return reply(def.name, [
      text(def.summary + (def.help ? `\n${def.help}` : '')),
      fields([
        ['Usage', usage(def)],
        ['Who', whoMay(def)],
        ...(args.length ? ([['Options', args.map((a) => `${a.name}: ${a.description}`).join('\n')]] as [string, string][]) : []),
        ['Examples', def.examples.join('\n')],
        ...(def.aliases?.length ? ([['Also', def.aliases.join(', ')]] as [string, string][]) : []),
      ]),
    ], { ephemeral: true });
  },
});
