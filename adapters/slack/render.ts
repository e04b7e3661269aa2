// Reply → Block Kit. Every size limit Slack enforces is respected here, by splitting long content over
// more blocks and more messages: a reply is never silently cut; only a single string with a hard limit
// (a header, a button label) is shortened, with an ellipsis.
import type { types } from '@slack/bolt';
import type { Block, Button, ButtonInput, Field, Reply } from '../../src/core/reply.ts';
import { escapeMrkdwn, richToFallback, richToMrkdwn, splitMrkdwn, truncate } from './mrkdwn.ts';

type KnownBlock = types.KnownBlock;

const LIMITS = {
  blocksPerMessage: 50,
  blocksPerHome: 100,
  sectionText: 3000,
  contextText: 3000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonsPerActions: 25,
  fieldsPerSection: 10,
  fieldText: 2000,
  messageText: 40000,
  checkboxOptions: 10,
  optionText: 150,
} as const;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** What a button carries back to us on click: Slack returns only its action_id and value. */
export interface ButtonPayload {
  command: string;
  inputs?: ButtonInput[];
}

/**
 * A plain button's value is its command line. A button that needs inputs carries them too, as JSON
 * (a command line never starts with "{"), because the bot keeps no state between render and click.
 */
function encodeButtonValue(b: Button): string {
  return b.inputs?.length ? JSON.stringify({ command: b.command, inputs: b.inputs }) : b.command;
}

export function decodeButtonValue(value: string): ButtonPayload {
  if (!value.startsWith('{')) return { command: value };
  const parsed = JSON.parse(value) as ButtonPayload;
  return { command: parsed.command, ...(parsed.inputs ? { inputs: parsed.inputs } : {}) };
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

/** Slack refuses a text object with no text, so blank pieces are left out. */
const nonBlank = (pieces: string[]) => pieces.filter((t) => t.trim() !== '');

function sections(text: string): KnownBlock[] {
  return nonBlank(splitMrkdwn(text, LIMITS.sectionText)).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function fieldText(f: Field): string {
  return `*${escapeMrkdwn(f.label)}*\n${richToMrkdwn(f.value)}`;
}

function fieldBlocks(fields: Field[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let row: string[] = [];
  const flush = () => {
    if (row.length) out.push({ type: 'section', fields: row.map(mrkdwn) });
    row = [];
  };
  for (const f of fields) {
    const t = fieldText(f);
    if (t.length > LIMITS.fieldText) {
      // Too long for a field: it becomes its own section(s) rather than losing its end.
      flush();
      out.push(...sections(t));
      continue;
    }
    row.push(t);
    if (row.length === LIMITS.fieldsPerSection) flush();
  }
  flush();
  return out;
}

function buttonBlocks(buttons: Button[], nextId: () => string): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerActions) {
    out.push({
      type: 'actions',
      elements: buttons.slice(i, i + LIMITS.buttonsPerActions).map((b) => ({
        type: 'button' as const,
        text: plain(b.label, LIMITS.buttonText),
        action_id: nextId(),
        value: encodeButtonValue(b),
        ...(b.style ? { style: b.style } : {}),
      })),
    });
  }
  return out;
}

function renderBlock(block: Block, nextId: () => string, warn: boolean): KnownBlock[] {
  switch (block.type) {
    case 'text':
      return sections((warn ? ':warning: ' : '') + richToMrkdwn(block.text));
    case 'context':
      return nonBlank(splitMrkdwn(richToMrkdwn(block.text), LIMITS.contextText)).map((t) => ({ type: 'context', elements: [mrkdwn(t)] }));
    case 'fields':
      return fieldBlocks(block.fields);
    case 'list': {
      const lines = block.items.map((item) => `• ${richToMrkdwn(item)}`);
      return sections([...(block.title ? [`*${escapeMrkdwn(block.title)}*`] : []), ...lines].join('\n'));
    }
    case 'buttons':
      return buttonBlocks(block.buttons, nextId);
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function fallbackOf(block: Block): string {
  switch (block.type) {
    case 'text':
    case 'context':
      return richToFallback(block.text);
    case 'fields':
      return block.fields.map((f) => `${escapeMrkdwn(f.label)}: ${richToFallback(f.value)}`).join('\n');
    case 'list':
      return [...(block.title ? [escapeMrkdwn(block.title)] : []), ...block.items.map((i) => `• ${richToFallback(i)}`)].join('\n');
    case 'buttons':
    case 'divider':
      return '';
  }
}

/** The blocks of a reply, in order, before they are split into messages. */
function renderBlocks(reply: Reply): { blocks: KnownBlock[]; fallback: string } {
  let n = 0;
  const nextId = () => `pb:${n++}`;
  const blocks: KnownBlock[] = [];
  if (reply.title) blocks.push({ type: 'header', text: plain(reply.title, LIMITS.header) });
  let warn = reply.error === true;
  for (const block of reply.blocks) {
    blocks.push(...renderBlock(block, nextId, warn && block.type === 'text'));
    if (block.type === 'text') warn = false;
  }
  const fallback = [reply.title ? escapeMrkdwn(reply.title) : '', ...reply.blocks.map(fallbackOf)].filter(Boolean).join('\n') || 'Done.';
  // A message needs at least one block to show something besides its notification text.
  if (blocks.length === 0) blocks.push(...sections(fallback));
  return { blocks, fallback };
}

/** A reply as one or more messages, each within Slack's limits. */
export function renderReply(reply: Reply): SlackMessage[] {
  const { blocks, fallback } = renderBlocks(reply);
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += LIMITS.blocksPerMessage) {
    const part = blocks.slice(i, i + LIMITS.blocksPerMessage);
    // The fallback only feeds notifications and old clients; the blocks carry the full content.
    const text = i === 0 ? fallback : `${fallback.split('\n')[0]} (continued)`;
    messages.push({ text: truncate(text, LIMITS.messageText), blocks: part });
  }
  return messages;
}

/** The App Home tab holds up to 100 blocks; beyond that it says where to find the rest. */
export function renderHome(replies: Reply[]): types.HomeView {
  const blocks = replies.flatMap((r) => renderBlocks(r).blocks);
  // Action ids must be unique in a view, and each reply numbered its own from pb:0.
  let n = 0;
  for (const b of blocks) if (b.type === 'actions') for (const e of b.elements) if ('action_id' in e) e.action_id = `pb:${n++}`;
  if (blocks.length > LIMITS.blocksPerHome) {
    blocks.splice(LIMITS.blocksPerHome - 1);
    blocks.push({ type: 'context', elements: [mrkdwn('More than fits here: type `/partner me` in any channel for the full list.')] });
  }
  return { type: 'home', blocks };
}

/** A modal asking for a button's inputs; the submission runs the button's command with them. */
export function renderInputsModal(payload: ButtonPayload & { inputs: ButtonInput[] }, title: string, privateMetadata: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: 'pb:inputs',
    private_metadata: privateMetadata,
    title: plain(title, 24),
    submit: plain('Run', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'context', elements: [mrkdwn(escapeMrkdwn(payload.command))] },
      ...payload.inputs.map((input): KnownBlock => {
        const label = plain(input.label, 2000);
        if (input.kind === 'date') return { type: 'input', block_id: input.name, label, element: { type: 'datepicker', action_id: input.name } };
        if (input.kind === 'text') {
          const initial = input.initial ? { initial_value: input.initial } : {};
          return { type: 'input', block_id: input.name, label, element: { type: 'plain_text_input', action_id: input.name, multiline: true, ...initial } };
        }
        if (input.kind === 'choices') {
          const options = (input.options ?? []).slice(0, LIMITS.checkboxOptions).map((o) => ({ text: plain(o.label, LIMITS.optionText), value: o.value.slice(0, LIMITS.optionText) }));
          // Slack refuses a checkboxes element without options: with none to offer, the ids are typed.
          const element = options.length ? { type: 'checkboxes' as const, action_id: input.name, options } : { type: 'plain_text_input' as const, action_id: input.name };
          return { type: 'input', block_id: input.name, label, optional: true, element };
        }
        return {
          type: 'input',
          block_id: input.name,
          label,
          optional: true,
          element: { type: 'checkboxes', action_id: input.name, options: [{ text: plain(input.label, 75), value: 'true' }] },
        };
      }),
    ],
  };
}
