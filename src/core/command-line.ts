// A command line run on behalf of the person whose context this is: the same parser and permission
// check as typing it. A check-in answer is the command its answer stands for, so it can never do what
// its user could not type, and it is audited as that command.
import { coerce, parseArgs } from './command.ts';
import type { CommandContext } from './context.ts';
import { checkPermission } from './permissions.ts';
import type { Reply } from './reply.ts';
import { tokenize } from './tokenize.ts';

export async function runCommandLine(ctx: CommandContext, line: string): Promise<Reply> {
  const { def, rest } = ctx.registry.match(tokenize(line));
  const args = parseArgs(def, rest);
  await checkPermission(ctx, def, args);
  return def.handler(ctx, args as never);
}

/** The same with options already apart (free text that may hold quotes: a state of play). */
export async function runCommand(ctx: CommandContext, name: string, options: Record<string, unknown>): Promise<Reply> {
  const def = ctx.registry.get(name);
  if (!def) throw new Error(`no command "${name}"`);
  const args = coerce(def, options);
  await checkPermission(ctx, def, args);
  return def.handler(ctx, args as never);
}

/** Quotes a value for the core tokenizer, which knows no escapes: pick a quote the value lacks. */
export function quote(value: string): string {
  const pairs: [string, string][] = [['"', '"'], ["'", "'"], ['‘', '’'], ['“', '”']];
  const pair = pairs.find(([, close]) => !value.includes(close));
  // Every closing quote is in the value: straight double quotes become typographic ones.
  return pair ? `${pair[0]}${value}${pair[1]}` : `"${value.replace(/"/g, '”')}"`;
}

/**
 * A button's command with the values its form collected (a Slack or Discord modal, an e-mail link's
 * page) as options, so they pass the same parser, validation and permission check as typed options.
 * The `=` form keeps a value that starts with "--" from being read as another option; empty values
 * are left out (an optional field left blank).
 */
export function withOptions(command: string, values: readonly { name: string; value: string }[]): string {
  return values.filter((v) => v.value !== '').reduce((line, { name, value }) => `${line} --${name}=${quote(value)}`, command);
}
