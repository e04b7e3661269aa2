// Reply → Discord messages. Discord rejects a message that breaks any of its limits, and a reply from
// the core can be any length (a full work plan), so the renderer splits rather than truncates: long
// text over several embeds, embeds over several messages. Nothing the core says is ever dropped.
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Block, Button, Reply } from '../../src/core/reply.ts';
import { buttonCustomId } from './custom-id.ts';
import { escapeText, neutralise, renderRich, splitText, truncate } from './markdown.ts';

const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
  embeds: 10,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
  mentionedUsers: 100,
} as const;

const COLOR = 0x2f6fb0;
const ERROR_COLOR = 0xc0392b;
const DIVIDER = '─'.repeat(24);
/** Fields this short sit side by side; longer ones get the full width. */
const INLINE_FIELD = 40;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface DiscordFile {
  name: string;
  data: Buffer;
  contentType: string;
}

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** Nothing in text pings; only the users of deliberate Mention objects may be notified. */
  allowedMentions: { parse: []; users: string[] };
  flags?: MessageFlags.Ephemeral;
  files?: DiscordFile[];
}

export interface RenderOptions {
  /**
   * Put the deliberately mentioned users in the message text so Discord notifies them. Off for
   * answers to a command: listing "who leads what" to one asker should not ping the whole list.
   */
  notify?: boolean;
}

type Section = { kind: 'text'; text: string } | { kind: 'field'; field: APIEmbedField };

function buttonStyle(button: Button): ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary {
  return button.style === 'primary' ? ButtonStyle.Primary : button.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary;
}

function fieldsOf(label: string, value: string): APIEmbedField[] {
  const name = truncate(escapeText(label), LIMITS.fieldName) || '\u200b';
  const pieces = splitText(value || '—', LIMITS.fieldValue);
  return pieces.map((piece, i) => ({
    name: i === 0 ? name : truncate(`${name} (continued)`, LIMITS.fieldName),
    value: piece || '—',
    ...(pieces.length === 1 && piece.length <= INLINE_FIELD && !piece.includes('\n') ? { inline: true } : {}),
  }));
}

/** Blocks → text and field sections, plus the buttons; buttons too long for a custom id become text. */
function sectionsOf(blocks: Block[], mentioned: Set<string>): { sections: Section[]; buttons: APIButtonComponentWithCustomId[] } {
  const sections: Section[] = [];
  const buttons: APIButtonComponentWithCustomId[] = [];
  const seen = new Set<string>();
  const text = (t: string) => {
    if (t.trim()) sections.push({ kind: 'text', text: t });
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        text(renderRich(block.text, mentioned));
        break;
      case 'context': {
        const rendered = renderRich(block.text, mentioned);
        if (rendered.trim()) text(`*${rendered}*`);
        break;
      }
      case 'divider':
        text(DIVIDER);
        break;
      case 'list': {
        const items = block.items.map((item) => `• ${renderRich(item, mentioned)}`);
        text([...(block.title ? [`**${escapeText(block.title)}**`] : []), ...items].join('\n'));
        break;
      }
      case 'fields':
        for (const f of block.fields) for (const field of fieldsOf(f.label, renderRich(f.value, mentioned))) sections.push({ kind: 'field', field });
        break;
      case 'buttons':
        for (const button of block.buttons) {
          const customId = buttonCustomId(button);
          if (!customId) {
            // Rare (the core keeps button commands short); the command is still shown, not lost.
            text(`*${escapeText(button.label)} (too long for a button):* \`${button.command.replace(/`/g, "'")}\``);
            continue;
          }
          // Discord refuses two components with the same id in one message.
          if (seen.has(customId)) continue;
          seen.add(customId);
          buttons.push({
            type: ComponentType.Button,
            style: buttonStyle(button),
            label: truncate(neutralise(button.label), LIMITS.label) || '…',
            custom_id: customId,
          });
        }
        break;
    }
  }
  return { sections, buttons };
}

/** Packs sections into embeds and embeds into messages, each within Discord's limits. */
function pack(title: string | undefined, sections: Section[], color: number): APIEmbed[][] {
  const messages: APIEmbed[][] = [[]];
  let embed: APIEmbed | undefined;
  let total = 0;
  const newEmbed = (need: number) => {
    const current = messages[messages.length - 1]!;
    if (current.length === LIMITS.embeds || total + need > LIMITS.embedTotal) {
      messages.push([]);
      total = 0;
    }
    embed = { color };
    messages[messages.length - 1]!.push(embed);
  };
  if (title) {
    newEmbed(0);
    embed!.title = truncate(escapeText(title), LIMITS.title);
    total += embed!.title.length;
  }
  for (const section of sections) {
    if (section.kind === 'text') {
      // Keep each piece well under one message's budget so a piece always fits a fresh message.
      for (const piece of splitText(section.text, LIMITS.description - 96)) {
        const sep = embed?.description ? 2 : 0;
        const fits = embed && !embed.fields?.length && (embed.description?.length ?? 0) + sep + piece.length <= LIMITS.description;
        if (!fits || total + sep + piece.length > LIMITS.embedTotal) newEmbed(piece.length);
        const sepNow = embed!.description ? '\n\n' : '';
        embed!.description = `${embed!.description ?? ''}${sepNow}${piece}`;
        total += sepNow.length + piece.length;
      }
    } else {
      const size = section.field.name.length + section.field.value.length;
      if (!embed || (embed.fields?.length ?? 0) === LIMITS.fields || total + size > LIMITS.embedTotal) newEmbed(size);
      (embed!.fields ??= []).push(section.field);
      total += size;
    }
  }
  return messages.filter((m) => m.length > 0);
}

function rowsOf(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage[] {
  const mentioned = new Set<string>();
  const { sections, buttons } = sectionsOf(reply.blocks, mentioned);
  const embedsPerMessage = pack(reply.title, sections, reply.error ? ERROR_COLOR : COLOR);
  const rows = rowsOf(buttons);
  const users = [...mentioned].slice(0, LIMITS.mentionedUsers);
  const base = {
    allowedMentions: { parse: [] as [], users },
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  };
  const messages: DiscordMessage[] = embedsPerMessage.map((embeds) => ({ ...base, embeds, components: [] }));
  if (messages.length === 0 && rows.length === 0) messages.push({ ...base, embeds: [{ color: COLOR, description: 'Done.' }], components: [] });
  // Buttons act on what the whole reply shows, so they go under its last part.
  for (let i = 0; i < rows.length; i += LIMITS.rows) {
    const chunk = rows.slice(i, i + LIMITS.rows);
    const last = messages[messages.length - 1];
    if (i === 0 && last) last.components = chunk;
    else messages.push({ ...base, embeds: [], components: chunk });
  }
  if (options.notify && users.length > 0) {
    let content = '';
    for (const id of users) if (content.length + id.length + 4 <= LIMITS.content) content += `${content ? ' ' : ''}<@${id}>`;
    messages[0]!.content = content;
  }
  if (reply.attachments?.length) {
    messages[0]!.files = reply.attachments.map((a) => ({ name: a.filename, data: Buffer.from(a.data), contentType: a.contentType }));
  }
  return messages;
}

/** The body of POST /channels/{id}/messages; channel messages cannot be ephemeral, so no flags. */
export function toApiBody(message: DiscordMessage): Record<string, unknown> {
  return {
    ...(message.content ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: message.allowedMentions,
    ...(message.files?.length ? { attachments: message.files.map((f, id) => ({ id, filename: f.name })) } : {}),
  };
}
