// The Discord gateway connection: slash commands, autocomplete, buttons and modals in; replies,
// announcements and direct messages out. Every path ends in Bot.handle, so Discord adds no rules.
//
// Acknowledging: Discord drops an interaction not answered within 3 seconds, and whether an answer is
// private (ephemeral) is only known once the command has run. So the command runs first; if it is
// done within ACK_AFTER_MS the answer goes out directly with the right visibility. If not, the
// interaction is deferred publicly, and an answer that turns out private replaces the placeholder
// with an ephemeral follow-up (the public "thinking…" is deleted).
import {
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  TextInputStyle,
  type APIChannel,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionReplyOptions,
  type ModalSubmitInteraction,
  type RESTOptions,
} from 'discord.js';
import { silentLogger, type Bot, type Invocation, type Logger } from '../../src/core/bot.ts';
import { describeArgs, type ArgInfo, type CommandDef } from '../../src/core/command.ts';
import { mention, text, type Reply } from '../../src/core/reply.ts';
import type { CommandRegistry } from '../../src/core/registry.ts';
import { tokenize } from '../../src/core/tokenize.ts';
import { converse, type ChannelPoster } from '../../src/delivery/conversation.ts';
import { linkedWorkspace } from '../../src/domain/chat-users.ts';
import { suggest } from './autocomplete.ts';
import { commandNameFor, discordName, isOurCommand } from './commands.ts';
import { modalCustomId, parseCustomId, type ModalRequest } from './custom-id.ts';
import { withOptions } from '../../src/core/command-line.ts';
import { truncate } from './markdown.ts';
import { renderReply, toApiBody, type DiscordMessage } from './render.ts';

/** Discord's error code for "Cannot send messages to this user" (DMs closed). */
const CANNOT_DM = 50007;
const ACK_AFTER_MS = 2000;
const MODAL_TITLE_MAX = 45;
const MODAL_INPUTS_MAX = 5;

export interface DiscordBotOptions {
  bot: Bot;
  token: string;
  applicationId: string;
  logger?: Logger;
  /** discord.js REST options; tests point `api` at a local server. Rate-limit waiting stays on. */
  rest?: Partial<RESTOptions>;
  /** How long a command may run before the interaction is deferred (Discord allows 3 s in all). */
  ackAfterMs?: number;
}

export type DmResult =
  | { delivered: 'dm'; channelId: string }
  | { delivered: 'channel'; channelId: string; reason: string }
  | { delivered: 'none'; reason: string };

export interface DiscordBot {
  client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts a reply to a channel; deliberate mentions in it notify their users. Returns message ids. */
  postMessage(channelId: string, reply: Reply): Promise<string[]>;
  /** Sends a direct message; if the user does not accept DMs, posts in `fallbackChannelId` instead. */
  sendDm(userId: string, reply: Reply, fallbackChannelId?: string): Promise<DmResult>;
}

/** Who asks and where; the command itself is added per interaction type. */
type Asker = Omit<Invocation, 'text' | 'command'>;
type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;
/** 'update' replaces the message a button sat on; 'reply' answers with a new message. */
type Mode = 'reply' | 'update';

function replyOptions(message: DiscordMessage, withFlags: boolean): InteractionReplyOptions {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowedMentions,
    ...(withFlags && message.flags ? { flags: message.flags } : {}),
    ...(message.files?.length ? { files: message.files.map((f) => ({ attachment: f.data, name: f.name })) } : {}),
  };
}

/** An edit keeps whatever it does not mention, so it clears old text and buttons explicitly. */
function editOptions(message: DiscordMessage) {
  const { flags: _ephemeralIsFixedOnceSent, ...rest } = replyOptions(message, false);
  return { ...rest, content: message.content ?? '' };
}

function displayNameOf(interaction: Interaction): string {
  const member = interaction.member;
  const fromMember = member && 'displayName' in member ? member.displayName : member?.nick;
  return fromMember ?? interaction.user.globalName ?? interaction.user.username;
}

/** The typed values under the subcommand group and subcommand. */
function leafOptions(data: readonly CommandInteractionOption[]): CommandInteractionOption[] {
  return data.flatMap((o) => (o.options ? leafOptions(o.options) : [o]));
}

/**
 * The arguments of the command a button runs, for the form's descriptions. A button from an older
 * version may name a command that no longer parses; the form then simply goes without them.
 */
function argInfos(registry: CommandRegistry, command: string): Map<string, ArgInfo> {
  try {
    return new Map(describeArgs(registry.match(tokenize(command)).def).map((a) => [a.name, a]));
  } catch {
    return new Map();
  }
}

function booleanValue(raw: string): string {
  const v = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', 'ja', 'oui', 'si', 'sí'].includes(v)) return 'true';
  if (['no', 'n', 'false', 'nee', 'non', 'nein'].includes(v)) return 'false';
  return raw;
}

export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { bot } = options;
  const logger = options.logger ?? silentLogger;
  const ackAfterMs = options.ackAfterMs ?? ACK_AFTER_MS;
  const registry = bot.deps.registry;
  const client = new Client({
    // Interactions arrive without any intent; Guilds keeps the server and channel caches current.
    intents: [GatewayIntentBits.Guilds],
    // A safety net: anything sent without explicit allowed mentions pings nobody.
    allowedMentions: { parse: [] },
    ...(options.rest ? { rest: options.rest } : {}),
  });

  /** Who is asking, where. In a DM there is no server, so the user's linked server stands in for it. */
  async function invocationFor(interaction: Interaction): Promise<Asker | undefined> {
    const workspaceId = interaction.guildId ?? (await linkedWorkspace(bot.db, 'discord', interaction.user.id));
    if (!workspaceId) return undefined;
    return {
      platform: 'discord',
      workspaceId,
      userId: interaction.user.id,
      displayName: displayNameOf(interaction),
      ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
      deliveryId: interaction.id,
    };
  }

  async function deliver(interaction: Answerable, reply: Reply, mode: Mode, deferred: boolean): Promise<void> {
    const [first, ...rest] = renderReply(reply);
    // A private answer (an error, a refusal) must not overwrite a message others can see.
    const replace = mode === 'update' && !reply.ephemeral;
    if (!deferred) {
      if (replace && interaction.isButton()) await interaction.update(editOptions(first!));
      else if (replace && interaction.isModalSubmit() && interaction.isFromMessage()) await interaction.update(editOptions(first!));
      else await interaction.reply(replyOptions(first!, true));
    } else if (!reply.ephemeral) {
      await interaction.editReply(editOptions(first!));
    } else {
      if (mode === 'reply') await interaction.deleteReply();
      await interaction.followUp(replyOptions(first!, true));
    }
    for (const message of rest) await interaction.followUp(replyOptions(message, true));
  }

  // The channel that already shows the public answer does not need the announcement twice.
  const channels: ChannelPoster = {
    platform: 'discord',
    logger,
    async post(target, message) {
      await postMessage(target.channelId, message).catch((e: unknown) => {
        logger.warn('announcement not delivered', { channel: target.channelId, error: e instanceof Error ? e.message : String(e) });
        throw e;
      });
    },
    skip: (target, inv, reply) => !reply.ephemeral && target.channelId === inv.channelId,
  };

  /** Runs the command, answering within Discord's 3 seconds however long the command takes. */
  async function run(interaction: Answerable, inv: Invocation, mode: Mode): Promise<void> {
    let deferred = false;
    await converse(
      bot,
      inv,
      {
        show: (reply) => deliver(interaction, reply, mode, deferred),
        acknowledgeAfter: {
          ms: ackAfterMs,
          async acknowledge() {
            if (mode === 'update' && !interaction.isChatInputCommand()) await interaction.deferUpdate();
            else await interaction.deferReply();
            deferred = true;
          },
        },
      },
      channels,
    );
  }

  /** The bot's command a slash command (or its autocomplete) names, by topic, group and subcommand. */
  function commandOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): { name: string | undefined; def: CommandDef | undefined } {
    const name = commandNameFor(registry, interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false) ?? '');
    return { name, def: name ? registry.get(name) : undefined };
  }

  async function onChatInput(interaction: ChatInputCommandInteraction, base: Asker): Promise<void> {
    const { name, def } = commandOf(interaction);
    if (!name || !def) {
      await interaction.reply({
        content: 'Discord\'s list of commands is out of date. Ask the bot\'s administrator to run "partnerbot discord register".',
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const argByOption = new Map(describeArgs(def).map((a) => [discordName(a.name), a.name]));
    const opts: Record<string, unknown> = {};
    for (const leaf of leafOptions(interaction.options.data)) {
      const arg = argByOption.get(leaf.name);
      if (arg && leaf.value !== undefined) opts[arg] = leaf.value;
    }
    await run(interaction, { ...base, command: { name, options: opts } }, 'reply');
  }

  async function onAutocomplete(interaction: AutocompleteInteraction, base: Asker): Promise<void> {
    const { def } = commandOf(interaction);
    const focused = interaction.options.getFocused(true);
    const arg = def && describeArgs(def).find((a) => discordName(a.name) === focused.name);
    // An empty list beats no answer: Discord shows "loading options failed" otherwise.
    const choices = arg
      ? await suggest(bot, base, arg, String(focused.value)).catch((e: unknown) => {
          logger.warn('autocomplete failed', { option: focused.name, error: e instanceof Error ? e.message : String(e) });
          return [];
        })
      : [];
    await interaction.respond(choices);
  }

  async function showModal(interaction: ButtonInteraction, request: ModalRequest): Promise<void> {
    const infos = argInfos(registry, request.command);
    await interaction.showModal({
      custom_id: modalCustomId(request),
      title: truncate(('label' in interaction.component && interaction.component.label) || 'partnerbot', MODAL_TITLE_MAX),
      components: request.inputs.slice(0, MODAL_INPUTS_MAX).map((input) => {
        const info = infos.get(input.name);
        return {
          type: ComponentType.Label,
          label: truncate(input.label ?? input.name.replace(/[-_]/g, ' '), MODAL_TITLE_MAX),
          ...(info ? { description: truncate(info.description, 100) } : {}),
          component: {
            type: ComponentType.TextInput,
            custom_id: input.name,
            style: input.kind === 'text' ? TextInputStyle.Paragraph : TextInputStyle.Short,
            required: info?.required ?? input.kind === 'date',
            ...(input.kind === 'date' ? { placeholder: 'YYYY-MM-DD', max_length: 40 } : {}),
            // A custom id has no room for the choices themselves: their ids are typed (the message lists them).
            ...(input.kind === 'choices' ? { placeholder: 'ids, e.g. A1.2 A1.O3', max_length: 200 } : {}),
            ...(input.kind === 'boolean' ? { placeholder: 'yes or no', max_length: 5 } : {}),
          },
        };
      }),
    });
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    const base = await invocationFor(interaction);
    if (interaction.isAutocomplete()) {
      if (base && isOurCommand(registry, interaction.commandName)) await onAutocomplete(interaction, base);
      else await interaction.respond([]);
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) return;
    if (interaction.isChatInputCommand() && !isOurCommand(registry, interaction.commandName)) return;
    if (!base) {
      await interaction.reply({
        content: 'Please use partnerbot in your partnership\'s server: I do not know which partnership you belong to here.',
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    if (interaction.isChatInputCommand()) return onChatInput(interaction, base);
    const parsed = parseCustomId(interaction.customId);
    if (!parsed) return;
    if (interaction.isButton()) {
      if (parsed.type === 'ask') return showModal(interaction, parsed);
      if (parsed.type === 'run') return run(interaction, { ...base, text: parsed.command }, 'update');
      return;
    }
    if (parsed.type !== 'submit') return;
    const values = parsed.inputs
      .map((input) => {
        const raw = interaction.fields.getTextInputValue(input.name).trim();
        return { name: input.name, value: input.kind === 'boolean' ? booleanValue(raw) : raw };
      })
      .filter((v) => v.value !== '');
    await run(interaction, { ...base, text: withOptions(parsed.command, values) }, interaction.isFromMessage() ? 'update' : 'reply');
  }

  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(interaction).catch((e: unknown) => {
      logger.error('discord interaction failed', { id: interaction.id, error: e instanceof Error ? e.message : String(e) });
    });
  });
  client.on(Events.Error, (e) => logger.error('discord client error', { error: e.message }));

  async function postMessage(channelId: string, reply: Reply): Promise<string[]> {
    const ids: string[] = [];
    for (const message of renderReply(reply, { notify: true })) {
      const sent = (await client.rest.post(Routes.channelMessages(channelId), {
        body: toApiBody(message),
        ...(message.files?.length ? { files: message.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })) } : {}),
      })) as { id: string };
      ids.push(sent.id);
    }
    return ids;
  }

  async function sendDm(userId: string, reply: Reply, fallbackChannelId?: string): Promise<DmResult> {
    try {
      const channel = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      await postMessage(channel.id, reply);
      return { delivered: 'dm', channelId: channel.id };
    } catch (e) {
      if (!(e instanceof DiscordAPIError) || e.code !== CANNOT_DM) throw e;
      const reason = 'the user does not accept direct messages from this server';
      logger.warn('direct message refused', { user: userId, fallback: fallbackChannelId ?? 'none' });
      if (!fallbackChannelId) return { delivered: 'none', reason };
      const note = text(mention('you', { discord: userId }), ': I could not send you a direct message (your privacy settings block it), so here it is.');
      await postMessage(fallbackChannelId, { ...reply, blocks: [note, ...reply.blocks] });
      return { delivered: 'channel', channelId: fallbackChannelId, reason };
    }
  }

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      if (client.application?.id && client.application.id !== options.applicationId) {
        logger.warn('DISCORD_APPLICATION_ID does not match the token\'s application', { applicationOfToken: client.application.id });
      }
      logger.info('discord connected', { user: client.user?.tag ?? '?' });
    },
    async stop() {
      await client.destroy();
    },
    postMessage,
    sendDm,
  };
}
