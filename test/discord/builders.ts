// The registration payload rebuilt through discord.js's own builders, whose validators apply Discord's
// rules (names, lengths, counts, required options first) and throw on any breach.
import {
  ApplicationCommandOptionType as Type,
  SlashCommandBuilder,
  SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
} from 'discord.js';
import type { ChatInputCommand } from '../../adapters/discord/commands.ts';

type Named = { setName(n: string): unknown; setDescription(d: string): unknown; setRequired?(r: boolean): unknown };

function named<T extends Named>(builder: T, o: { name: string; description: string; required?: boolean }): T {
  builder.setName(o.name);
  builder.setDescription(o.description);
  builder.setRequired?.(o.required ?? false);
  return builder;
}

type Bounded = { setMinValue(n: number): unknown; setMaxValue(n: number): unknown; setAutocomplete(a: boolean): unknown };

function bounded<T extends Bounded>(builder: T, o: { min_value?: number; max_value?: number; autocomplete?: boolean }): T {
  if (o.min_value !== undefined) builder.setMinValue(o.min_value);
  if (o.max_value !== undefined) builder.setMaxValue(o.max_value);
  if (o.autocomplete) builder.setAutocomplete(true);
  return builder;
}

function addOption(sub: SlashCommandSubcommandBuilder, o: APIApplicationCommandBasicOption): void {
  switch (o.type) {
    case Type.String:
      sub.addStringOption((b) => {
        named(b, o);
        if (o.choices) b.addChoices(...o.choices);
        if (o.autocomplete) b.setAutocomplete(true);
        return b;
      });
      return;
    case Type.Integer:
      sub.addIntegerOption((b) => bounded(named(b, o), o));
      return;
    case Type.Number:
      sub.addNumberOption((b) => bounded(named(b, o), o));
      return;
    case Type.Boolean:
      sub.addBooleanOption((b) => named(b, o));
      return;
    default:
      throw new Error(`option type ${o.type} is not one the adapter makes`);
  }
}

function subcommand(o: APIApplicationCommandOption): SlashCommandSubcommandBuilder {
  if (o.type !== Type.Subcommand) throw new Error(`${o.name}: expected a subcommand`);
  const sub = named(new SlashCommandSubcommandBuilder(), o);
  for (const option of o.options ?? []) addOption(sub, option as APIApplicationCommandBasicOption);
  return sub;
}

/** Builds `command` again through the builders and gives their (validated) JSON. */
export function throughBuilders(command: ChatInputCommand): unknown {
  const root = named(new SlashCommandBuilder(), command);
  root.setContexts(...(command.contexts ?? []));
  root.setIntegrationTypes(...(command.integration_types ?? []));
  for (const entry of command.options ?? []) {
    if (entry.type === Type.SubcommandGroup) {
      const group = named(new SlashCommandSubcommandGroupBuilder(), entry);
      for (const sub of entry.options ?? []) group.addSubcommand(subcommand(sub));
      root.addSubcommandGroup(group);
    } else root.addSubcommand(subcommand(entry));
  }
  return JSON.parse(JSON.stringify(root.toJSON()));
}
