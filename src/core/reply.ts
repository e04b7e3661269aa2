// The one reply model every command returns and every adapter renders (Block Kit, Discord embeds and
// components, plain terminal text). All strings in it are plain text: renderers escape them for their
// platform, so text typed by users can never become markup, a mention or a link.

/** A person to mention, with the chat identities the core knows for them. */
export interface Mention {
  kind: 'mention';
  name: string;
  /** Platform → user id on that platform (e.g. { slack: 'U123', discord: '4567' }). */
  ids: Record<string, string>;
}

export interface Link {
  kind: 'link';
  url: string;
  label: string;
}

/** A run of inline content: plain text, a deliberate mention, or a link the bot itself made. */
export type Inline = string | Mention | Link;
export type RichText = Inline[];

export interface Field {
  label: string;
  value: RichText;
}

/** A value a button asks for before it runs (adapters show a modal; the shell does not use buttons). */
export interface ButtonInput {
  name: string;
  label: string;
  /** `choices`: any of `options` may be ticked; the value is their values, space-separated. */
  kind: 'date' | 'text' | 'boolean' | 'choices';
  /**
   * The text the field starts with (the current state of play, to edit rather than retype). Slack
   * carries it in the button; a Discord custom id has no room for it, so the field starts empty there.
   */
  initial?: string;
  /**
   * What a `choices` field offers (item ids and their names). Slack shows them as checkboxes; where a
   * button cannot carry them (a Discord custom id, an e-mail link) the ids are typed instead.
   */
  options?: { value: string; label: string }[];
}

/**
 * A button runs a command line, e.g. "milestone done A1.3", through the same parser and permission
 * check as typing it; so a click can never do what its user could not type. Kept short (Discord
 * custom ids hold 100 characters) and built by the bot, never from user text.
 */
export interface Button {
  label: string;
  command: string;
  style?: 'primary' | 'danger';
  /** Values to collect first; each is appended to the command as `--name value`. */
  inputs?: ButtonInput[];
}

export type Block =
  | { type: 'text'; text: RichText }
  | { type: 'fields'; fields: Field[] }
  | { type: 'list'; title?: string; items: RichText[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'context'; text: RichText }
  | { type: 'divider' };

export interface Attachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export interface Reply {
  title?: string;
  blocks: Block[];
  /** Only the asker should see it (Slack ephemeral, Discord ephemeral flag). */
  ephemeral?: boolean;
  /** The answer is an error (bad input, refusal): adapters may style it as such. */
  error?: boolean;
  attachments?: Attachment[];
  /** Also post this to the channels bound to the Action (or partnership/secretariat). */
  announce?: Announcement[];
  /** Another process, or an earlier copy, has this delivery (see Invocation.deliveryId): show and announce nothing. */
  duplicate?: true;
  /**
   * The plan item a notification is about: e-mail names it in the subject and threads every message
   * about it together. Chat adapters need nothing of it.
   */
  about?: { id: string; code: string; title: string };
  /** A meeting invitation the message carries (e-mail attaches it as iCalendar; chat ignores it). */
  invitation?: Invitation;
}

/** A meeting as an invitation, in plain JSON (it is stored in the outbox): RFC 5546 REQUEST or CANCEL. */
export interface Invitation {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  /** The calendar feed's SEQUENCE for this meeting, so an update replaces the copy in the calendar. */
  sequence: number;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  firstDay: string;
  lastDay: string;
  /** ISO instants and the zone they are shown in, for a meeting at a set time. */
  time?: { start: string; end: string; zone: string };
  tentative: boolean;
}

export interface Announcement {
  scope: 'action' | 'partnership' | 'secretariat';
  actionNumber?: number;
  message: Reply;
}

export const text = (...parts: Inline[]): Block => ({ type: 'text', text: parts });
export const context = (...parts: Inline[]): Block => ({ type: 'context', text: parts });
export const fields = (entries: [string, Inline | RichText][]): Block => ({
  type: 'fields',
  fields: entries.map(([label, value]) => ({ label, value: Array.isArray(value) ? value : [value] })),
});
export const list = (items: (Inline | RichText)[], title?: string): Block => ({
  type: 'list',
  ...(title ? { title } : {}),
  items: items.map((i) => (Array.isArray(i) ? i : [i])),
});
export const buttons = (...b: Button[]): Block => ({ type: 'buttons', buttons: b });
export const divider = (): Block => ({ type: 'divider' });
export const mention = (name: string, ids: Record<string, string>): Mention => ({ kind: 'mention', name, ids });
export const link = (url: string, label: string): Link => ({ kind: 'link', url, label });

export function reply(title: string | undefined, blocks: Block[], extra: Partial<Reply> = {}): Reply {
  return { ...(title ? { title } : {}), blocks, ...extra };
}

export function errorReply(message: string, hint?: string): Reply {
  return { blocks: hint ? [text(message), context(hint)] : [text(message)], ephemeral: true, error: true };
}

/** The plain text of a run, mentions as "@Name" — used for fallbacks, logs and the shell. */
export function plainText(rich: RichText): string {
  return rich.map((p) => (typeof p === 'string' ? p : p.kind === 'mention' ? `@${p.name}` : `${p.label} (${p.url})`)).join('');
}
