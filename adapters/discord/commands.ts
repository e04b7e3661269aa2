// The slash commands, derived from the command registry so Discord always offers exactly what the core
// understands: "/partner due", "/partner milestone move", options typed from each command's schema.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { z } from 'zod';
import { registry as appRegistry } from '../../src/app.ts';
import { describeArgs, type ArgInfo, type CommandDef } from '../../src/core/command.ts';
import type { CommandRegistry } from '../../src/core/registry.ts';

export const ROOT_COMMAND = 'partner';
const ROOT_DESCRIPTION = 'Run the partnership: Actions, deadlines, outputs, meetings';
/** The subcommand a bare head ("action A1") gets when "action ..." also has subcommands. */
const BARE_SUBCOMMAND = 'show';

const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_NAME = 32;
const MAX_DESCRIPTION = 100;
/**
 * Discord caps the names, descriptions and choice values of one command and all its options at 8000
 * characters together (raised from 4000 in 2024, discord-api-docs#6668). Past it, /partner2 follows.
 */
const MAX_COMMAND_CHARACTERS = 8000;

type Subcommand = APIApplicationCommandSubcommandOption;
type Group = APIApplicationCommandSubcommandGroupOption;
export type ChatInputCommand = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord names: lowercase, no spaces, at most 32 characters. `dueDate` becomes `due-date`. */
export function discordName(name: string): string {
  const kebab = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^-_\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return (kebab || 'x').slice(0, MAX_NAME);
}

function description(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || '—';
  return oneLine.length <= MAX_DESCRIPTION ? oneLine : `${oneLine.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** Integer-ness and bounds are not in describeArgs; they are read from the zod schema itself. */
function numberBounds(def: CommandDef, name: string): { integer: boolean; min?: number; max?: number } {
  let schema = def.args.shape[name] as z.ZodType | undefined;
  while (schema) {
    const d = schema.def as unknown as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (d.type === 'number') {
      const n = schema as unknown as { isInt: boolean; minValue: number | null; maxValue: number | null };
      const safe = (v: number | null) => (v !== null && Number.isFinite(v) && Math.abs(v) <= 2 ** 53 ? v : undefined);
      const min = safe(n.minValue);
      const max = safe(n.maxValue);
      return { integer: n.isInt, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    schema = d.innerType ?? d.in;
  }
  return { integer: false };
}

function optionOf(def: CommandDef, arg: ArgInfo): APIApplicationCommandBasicOption {
  const base = { name: discordName(arg.name), description: description(arg.description), required: arg.required };
  if (arg.type === 'boolean') return { ...base, type: ApplicationCommandOptionType.Boolean };
  if (arg.type === 'number') {
    const { integer, min, max } = numberBounds(def, arg.name);
    const bounds = { ...(min !== undefined ? { min_value: min } : {}), ...(max !== undefined ? { max_value: max } : {}) };
    return integer
      ? { ...base, ...bounds, type: ApplicationCommandOptionType.Integer }
      : { ...base, ...bounds, type: ApplicationCommandOptionType.Number };
  }
  const choices = arg.choices ?? [];
  // More choices than Discord lists are offered through autocomplete instead (see autocomplete.ts).
  if (choices.length > 0 && choices.length <= MAX_CHOICES && !arg.complete) {
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      choices: choices.map((c) => ({ name: c.slice(0, MAX_DESCRIPTION), value: c.slice(0, MAX_DESCRIPTION) })),
    };
  }
  return { ...base, type: ApplicationCommandOptionType.String, ...(arg.complete || choices.length ? { autocomplete: true } : {}) };
}

function subcommandOf(def: CommandDef, name: string): Subcommand {
  const options = describeArgs(def)
    .map((arg) => optionOf(def, arg))
    // Discord requires every required option before the first optional one.
    .sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
  if (options.length > MAX_OPTIONS) throw new Error(`"${def.name}" has ${options.length} options; Discord allows ${MAX_OPTIONS}`);
  return { type: ApplicationCommandOptionType.Subcommand, name, description: description(def.summary), options };
}

/** Where a registry command sits in the tree: its group (for two-word commands) and subcommand. */
export interface Placement {
  group?: string;
  subcommand: string;
}

export function placements(registry: CommandRegistry): Map<string, Placement> {
  const result = new Map<string, Placement>();
  for (const [head, defs] of registry.groups()) {
    const group = discordName(head);
    const grouped = defs.length > 1 || defs.some((d) => d.name.includes(' '));
    for (const def of defs) {
      const words = def.name.split(' ');
      if (!grouped) result.set(def.name, { subcommand: group });
      else if (words.length === 1) {
        const taken = defs.some((d) => d.name === `${head} ${BARE_SUBCOMMAND}`);
        result.set(def.name, { group, subcommand: taken ? group : BARE_SUBCOMMAND });
      } else result.set(def.name, { group, subcommand: discordName(words.slice(1).join('-')) });
    }
  }
  return result;
}

/** The registry name of the command a slash interaction invoked. */
export function commandNameFor(registry: CommandRegistry, group: string | null, subcommand: string): string | undefined {
  for (const [name, p] of placements(registry)) {
    if ((p.group ?? null) === group && p.subcommand === subcommand) return name;
  }
  return undefined;
}

function characters(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + characters(v), 0);
  if (!value || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'name' || key === 'description' || key === 'value') && typeof v === 'string') n += v.length;
    else n += characters(v);
  }
  return n;
}

function rootCommand(name: string, options: (Subcommand | Group)[]): ChatInputCommand {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description: ROOT_DESCRIPTION,
    // Partnerships are bound to servers (guild id = workspace), so the command only exists there.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options,
  };
}

/**
 * The full command list for a bulk overwrite. Normally one command, /partner; if the registry ever
 * outgrows one command's limits, the rest continue in /partner2, /partner3... (same subcommands).
 */
export function buildCommands(registry: CommandRegistry): ChatInputCommand[] {
  const entries: (Subcommand | Group)[] = [];
  const groups = new Map<string, Group>();
  const place = placements(registry);
  for (const def of registry.commands) {
    const p = place.get(def.name)!;
    const sub = subcommandOf(def, p.subcommand);
    if (!p.group) {
      entries.push(sub);
      continue;
    }
    let group = groups.get(p.group);
    if (!group) {
      const names = registry.groups().get(def.name.split(' ')[0]!)!.map((d) => d.name);
      group = { type: ApplicationCommandOptionType.SubcommandGroup, name: p.group, description: description(names.join(', ')), options: [] };
      groups.set(p.group, group);
      entries.push(group);
    }
    group.options!.push(sub);
    if (group.options!.length > MAX_OPTIONS) throw new Error(`"${p.group}" has more than ${MAX_OPTIONS} subcommands`);
  }
  const commands: ChatInputCommand[] = [];
  let current: (Subcommand | Group)[] = [];
  const flush = () => {
    commands.push(rootCommand(commands.length === 0 ? ROOT_COMMAND : `${ROOT_COMMAND}${commands.length + 1}`, current));
    current = [];
  };
  for (const entry of entries) {
    const next = rootCommand(ROOT_COMMAND, [...current, entry]);
    if (current.length > 0 && (current.length === MAX_OPTIONS || characters(next) > MAX_COMMAND_CHARACTERS)) flush();
    current.push(entry);
  }
  if (current.length > 0 || commands.length === 0) flush();
  return commands;
}

/** Whether a slash command name is one of ours (/partner, /partner2...). */
export function isRootCommand(name: string): boolean {
  return new RegExp(`^${ROOT_COMMAND}\\d*$`).test(name);
}

/**
 * Replaces all of the application's commands (in one guild, or globally) with the current tree.
 * A bulk overwrite is idempotent: running it twice changes nothing, and removed commands disappear.
 */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildId?: string,
  registry: CommandRegistry = appRegistry,
): Promise<ChatInputCommand[]> {
  const body = buildCommands(registry);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body;
}
