// The slash commands, derived from the command registry so Discord always offers exactly what the core
// understands: "/partner due", "/plan milestone move", options typed from each command's schema. The
// registry's topics (commands/topics.ts) decide which top-level command a family sits under.
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
const ROOT_DESCRIPTION = 'The partnership: Actions, deadlines, people, help';
/** The subcommand a bare head ("action A1") gets when "action ..." also has subcommands. */
const BARE_SUBCOMMAND = 'show';

const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_NAME = 32;
const MAX_DESCRIPTION = 100;
/**
 * Discord caps the names, descriptions and choice values of one command and all its options at 8000
 * characters together (raised from 4000 in 2024, discord-api-docs#6668).
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

/** Where a registry command sits: its top-level command, and in it its group (if any) and subcommand. */
export interface Placement {
  command: string;
  group?: string;
  subcommand: string;
}

/** One slash command per topic, plus the main one for the families no topic lists. */
function topLevel(registry: CommandRegistry): { name: string; description: string; defs: CommandDef[] }[] {
  const main = { name: ROOT_COMMAND, description: ROOT_DESCRIPTION, defs: registry.commands.filter((d) => !registry.topicOf(d)) };
  const byTopic = registry.topics.map((t) => ({ name: discordName(t.name), description: description(t.summary), defs: registry.commands.filter((d) => registry.topicOf(d) === t) }));
  return [main, ...byTopic].filter((c) => c.name === ROOT_COMMAND || c.defs.length > 0);
}

/**
 * The command's words below its top-level command: under /notify, "notify mute" is just "mute", and
 * "plenary" under /plenary is its bare subcommand; other families keep their words.
 */
function localWords(def: CommandDef, command: string): string[] {
  const words = def.name.split(' ').map(discordName);
  if (command === ROOT_COMMAND || words[0] !== command) return words;
  return words.length > 1 ? words.slice(1) : [BARE_SUBCOMMAND];
}

export function placements(registry: CommandRegistry): Map<string, Placement> {
  const result = new Map<string, Placement>();
  for (const { name: command, defs } of topLevel(registry)) {
    const families = new Map<string, { def: CommandDef; words: string[] }[]>();
    for (const def of defs) {
      const words = localWords(def, command);
      families.set(words[0]!, [...(families.get(words[0]!) ?? []), { def, words }]);
    }
    const taken = new Set<string>();
    for (const [head, members] of families) {
      const grouped = members.length > 1 || members.some((m) => m.words.length > 1);
      for (const { def, words } of members) {
        let place: Placement;
        if (!grouped) place = { command, subcommand: head };
        else if (words.length === 1) {
          const showTaken = members.some((m) => m.words.join(' ') === `${head} ${BARE_SUBCOMMAND}`);
          place = { command, group: head, subcommand: showTaken ? head : BARE_SUBCOMMAND };
        } else place = { command, group: head, subcommand: discordName(words.slice(1).join('-')) };
        const key = `${place.group ?? ''}/${place.subcommand}`;
        // Two declarations that Discord's naming folds together ("due-date" and "due date").
        if (taken.has(key)) {
          throw new Error(`"${def.name}" would take /${command} ${key.replace(/^\//, '')}, which is already used`);
        }
        taken.add(key);
        result.set(def.name, place);
      }
    }
  }
  return result;
}

/** The registry name of the command a slash interaction invoked. */
export function commandNameFor(registry: CommandRegistry, command: string, group: string | null, subcommand: string): string | undefined {
  for (const [name, p] of placements(registry)) {
    if (p.command === command && (p.group ?? null) === group && p.subcommand === subcommand) return name;
  }
  return undefined;
}

/** What Discord counts towards a command's 8,000 characters: names, descriptions and choice values. */
export function characters(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + characters(v), 0);
  if (!value || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'name' || key === 'description' || key === 'value') && typeof v === 'string') n += v.length;
    else n += characters(v);
  }
  return n;
}

function chatInputCommand(name: string, description: string, options: (Subcommand | Group)[]): ChatInputCommand {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description,
    // Partnerships are bound to servers (guild id = workspace), so the commands only exist there.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options,
  };
}

/**
 * The full command list for a bulk overwrite: /partner and one command per topic. A command past
 * Discord's limits fails here, naming the fix, rather than at registration time in Discord.
 */
export function buildCommands(registry: CommandRegistry): ChatInputCommand[] {
  const place = placements(registry);
  return topLevel(registry).map(({ name, description: about, defs }) => {
    const entries: (Subcommand | Group)[] = [];
    const groups = new Map<string, Group>();
    for (const def of defs) {
      const p = place.get(def.name)!;
      const sub = subcommandOf(def, p.subcommand);
      if (!p.group) {
        entries.push(sub);
        continue;
      }
      let group = groups.get(p.group);
      if (!group) {
        const names = defs.filter((d) => place.get(d.name)!.group === p.group).map((d) => d.name);
        group = { type: ApplicationCommandOptionType.SubcommandGroup, name: p.group, description: description(names.join(', ')), options: [] };
        groups.set(p.group, group);
        entries.push(group);
      }
      group.options!.push(sub);
      if (group.options!.length > MAX_OPTIONS) throw new Error(`/${name} ${p.group} has more than ${MAX_OPTIONS} subcommands`);
    }
    const command = chatInputCommand(name, about, entries);
    const size = characters(command);
    if (entries.length > MAX_OPTIONS || size > MAX_COMMAND_CHARACTERS) {
      throw new Error(
        `/${name} has ${entries.length} entries and ${size} characters; Discord allows ${MAX_OPTIONS} and ${MAX_COMMAND_CHARACTERS}: give some command families their own topic in commands/topics.ts`,
      );
    }
    return command;
  });
}

/** Whether a slash command name is one of ours (/partner or a topic's). */
export function isOurCommand(registry: CommandRegistry, name: string): boolean {
  return name === ROOT_COMMAND || registry.topics.some((t) => discordName(t.name) === name);
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
