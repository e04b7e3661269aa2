// Reply → Discord JSON, without a network: limits, splitting, escaping, mentions and button ids.
import { describe, expect, it } from 'vitest';
import { buttonCustomId, modalCustomId, parseCustomId } from '../../adapters/discord/custom-id.ts';
import { withOptions } from '../../src/core/command-line.ts';
import { escapeText, splitText } from '../../adapters/discord/markdown.ts';
import { renderReply, toApiBody } from '../../adapters/discord/render.ts';
import { tokenize } from '../../src/core/tokenize.ts';
import { buttons, context, divider, fields, link, list, mention, reply, text } from '../../src/core/reply.ts';
import { expectWithinLimits, visibleText } from './limits.ts';

/** As Discord receives it in an interaction response (where ephemeral flags are allowed). */
const body = (r: Parameters<typeof renderReply>[0], notify = false) =>
  renderReply(r, { notify }).map((m) => ({ ...toApiBody(m), ...(m.flags ? { flags: m.flags } : {}) }) as any);

describe('rendering replies for Discord', () => {
  it('keeps every part of a long reply, across messages within the limits', () => {
    const items = Array.from({ length: 500 }, (_, i) => `entry-${i} ${'word '.repeat(30)}`);
    const messages = body(
      reply('T'.repeat(1000), [
        text('z'.repeat(20_000)),
        list(items),
        fields(Array.from({ length: 60 }, (_, i): [string, string] => [`L${i}`, `v${i} ${'q '.repeat(900)}`])),
        text('the end'),
      ]),
    );
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) expectWithinLimits(m);
    const all = messages.map(visibleText).join('\n');
    expect(all.replace(/[^z]/g, '')).toHaveLength(20_000);
    for (let i = 0; i < 500; i++) expect(all).toContain(`entry-${i} `);
    for (let i = 0; i < 60; i++) expect(all).toContain(`v${i} `);
    expect(all.trim().endsWith('the end')).toBe(true);
    expect(messages[0].embeds[0].title.length).toBeLessThanOrEqual(256);
  });

  it('escapes markdown and neutralises mass mentions in user text', () => {
    const evil = '@everyone @HERE **b** __u__ ~~s~~ ||spoiler|| `code` <@123> <#456> <@&789> [x](https://e.example)\n# heading\n-# small\n> quote\n1. list';
    const [m] = body(reply(evil, [text(evil), fields([[evil, evil]]), list([evil], evil), context(evil)]));
    const shown = visibleText(m);
    expect(shown).not.toMatch(/@everyone|@here/i);
    for (const raw of ['**b', '__u', '~~s', '||spoiler', '`code', '<@123>', '<#456>', '<@&789>', '[x]', '\n# heading', '\n-# small', '\n> quote', '\n1. list']) {
      // Markup counts only where no backslash escapes its first character.
      expect(shown).not.toMatch(new RegExp(`(^|[^\\\\])${raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(escapeText('a_b')).toBe('a\\_b');
    expect(m.allowed_mentions).toEqual({ parse: [], users: [] });
  });

  it('turns deliberate mentions into real ones and only they may notify', () => {
    const r = reply('Due', [text(mention('Ana', { discord: '42', slack: 'U1' }), ' and ', mention('Bo', { slack: 'U2' }), ' ', mention('Evil', { discord: '1> @everyone <@2' }))]);
    const [quiet] = body(r);
    expect(quiet.embeds[0].description).toBe('<@42> and @Bo @Evil');
    expect(quiet.content).toBeUndefined();
    expect(quiet.allowed_mentions).toEqual({ parse: [], users: ['42'] });
    const [loud] = body(r, true);
    expect(loud.content).toBe('<@42>');
  });

  it('renders links the bot made, and only http(s) ones as links', () => {
    const [m] = body(reply(undefined, [text(link('https://ex.example/a b)', 'The [report]'), ' ', link('javascript:alert(1)', 'bad'))]));
    expect(m.embeds[0].description).toBe('[The \\[report\\]](https://ex.example/a%20b%29) bad (javascript:alert(1))');
  });

  it('flags ephemeral and error replies, and never sends an empty message', () => {
    const [e] = body({ blocks: [text('No.')], ephemeral: true, error: true });
    expect(e.flags).toBe(64);
    expect(e.embeds[0].color).not.toBe(body(reply(undefined, [text('ok')]))[0].embeds[0].color);
    expect(toApiBody(renderReply({ blocks: [], ephemeral: true })[0]!)).not.toHaveProperty('flags');
    expectWithinLimits(body({ blocks: [] })[0]);
    expectWithinLimits(body({ blocks: [divider()] })[0]);
  });

  it('lays buttons out five to a row, five rows to a message, without duplicates', () => {
    const many = Array.from({ length: 27 }, (_, i) => ({ label: `B${i}`, command: `milestone done A1.${i}` }));
    const messages = body(reply('x', [buttons(...many, many[0]!), buttons({ label: 'Go', command: 'due', style: 'primary' }, { label: 'Drop', command: 'x', style: 'danger' })]));
    const rows = messages.flatMap((m) => m.components);
    const all = rows.flatMap((r: any) => r.components);
    expect(all).toHaveLength(29);
    expect(new Set(all.map((b: any) => b.custom_id)).size).toBe(29);
    for (const m of messages) expectWithinLimits(m);
    expect(all.find((b: any) => b.label === 'Go').style).toBe(1);
    expect(all.find((b: any) => b.label === 'Drop').style).toBe(4);
    expect(all.find((b: any) => b.label === 'B0').style).toBe(2);
  });

  it('offers a command too long for a button as text to type instead', () => {
    const long = `agenda add ${'w'.repeat(120)}`;
    const [m] = body(reply('x', [buttons({ label: 'Add it', command: long })]));
    expect(m.components).toEqual([]);
    expect(m.embeds[0].description).toContain(long);
  });
});

describe('button and modal ids', () => {
  it('round-trips commands and inputs, labels included when they fit', () => {
    const plain = buttonCustomId({ label: 'Done', command: 'milestone done A1.2' })!;
    expect(plain).toBe('pb:milestone done A1.2');
    expect(parseCustomId(plain)).toEqual({ type: 'run', command: 'milestone done A1.2' });
    const inputs = [
      { name: 'when', label: 'New date', kind: 'date' as const },
      { name: 'tentative', label: 'Tentative (tbc)', kind: 'boolean' as const },
    ];
    const ask = buttonCustomId({ label: 'Move', command: 'milestone move A1.2', inputs })!;
    const parsed = parseCustomId(ask);
    expect(parsed).toEqual({ type: 'ask', command: 'milestone move A1.2', inputs });
    const submit = modalCustomId(parsed as { command: string; inputs: typeof inputs });
    expect(parseCustomId(submit)).toMatchObject({ type: 'submit', command: 'milestone move A1.2', inputs });
    const tight = buttonCustomId({ label: 'Move', command: `milestone move A1.2 ${'x'.repeat(50)}`, inputs })!;
    expect(tight.length).toBeLessThanOrEqual(100);
    expect(parseCustomId(tight)).toMatchObject({ inputs: [{ name: 'when', kind: 'date' }, { name: 'tentative', kind: 'boolean' }] });
    expect(buttonCustomId({ label: 'x', command: 'y'.repeat(98) })).toBeUndefined();
    expect(parseCustomId('something-else')).toBeUndefined();
  });

  it('appends modal values so the core tokenizer reads them back exactly', () => {
    const values = [
      { name: 'when', value: '2026-03 tbc' },
      { name: 'note', value: 'say "hi" now' },
      { name: 'other', value: `it's "both"` },
    ];
    const line = withOptions('milestone move A1.2', values);
    expect(tokenize(line)).toEqual(['milestone', 'move', 'A1.2', '--when=2026-03 tbc', '--note=say "hi" now', `--other=it's "both"`]);
  });

  it('splits text at line breaks, never leaving a dangling escape', () => {
    const pieces = splitText(`${'a'.repeat(9)}\\*${'b'.repeat(20)}`, 10);
    for (const p of pieces) expect(/(^|[^\\])(\\\\)*\\$/.test(p)).toBe(false);
    expect(pieces.join('')).toBe(`${'a'.repeat(9)}\\*${'b'.repeat(20)}`);
    expect(splitText('line one\nline two', 12)).toEqual(['line one', 'line two']);
  });
});
