import { describe, expect, it } from 'vitest';
import { commandWithInputs } from '../../adapters/slack/inputs.ts';
import { quote } from '../../src/core/command-line.ts';
import { escapeMrkdwn, splitMrkdwn } from '../../adapters/slack/mrkdwn.ts';
import { decodeButtonValue, renderHome, renderReply } from '../../adapters/slack/render.ts';
import { buttons, context, fields, link, list, mention, reply, text, type Reply } from '../../src/core/reply.ts';
import { tokenize } from '../../src/core/tokenize.ts';
import { expectWithinLimits, shownText } from './limits.ts';

const hostile = '<!channel> @everyone <!here> <@U123> <https://evil.example|click> & *bold*';

describe('escaping', () => {
  it('neutralises broadcast mentions, user mentions and links in every kind of block', () => {
    const r: Reply = reply(hostile, [
      text(hostile),
      fields([[hostile, hostile]]),
      list([hostile], hostile),
      context(hostile),
      buttons({ label: hostile, command: 'help' }),
    ]);
    for (const m of renderReply(r)) {
      const json = JSON.stringify(m.blocks.filter((b) => b.type !== 'header' && b.type !== 'actions'));
      for (const bad of ['<!channel>', '<!here>', '<@U123>', '<https://evil']) {
        expect(json).not.toContain(bad);
        expect(m.text).not.toContain(bad);
      }
      expect(json).toContain('&lt;!channel&gt;');
      expect(json).toContain('&amp; *bold*');
    }
  });

  it('renders deliberate mentions only with a Slack id, and links with an escaped label', () => {
    const [m] = renderReply(reply(undefined, [text(mention('Ann', { slack: 'U42' }), ' ', mention('Bob', { discord: '9' }), ' ', mention('Eve', { slack: '!channel' }), ' ', link('https://x.test/?a=1&b=2', 'a <b> & c'))]));
    const shown = shownText(m as never);
    expect(shown).toContain('<@U42>');
    expect(shown).toContain('@Bob');
    expect(shown).not.toContain('<!channel');
    expect(shown).toContain('<https://x.test/?a=1&amp;b=2|a &lt;b&gt; &amp; c>');
  });

  it('never makes a link of a non-web URL', () => {
    const [m] = renderReply(reply(undefined, [text(link('javascript:alert(1)', 'x'))]));
    expect(shownText(m as never)).not.toContain('<javascript');
  });
});

describe('limits', () => {
  it('splits a 200-item list and many fields over messages without losing an item', () => {
    const items = Array.from({ length: 200 }, (_, i) => `item-${i} ${'lorem ipsum & <dolor> '.repeat(20)}`);
    const r = reply('T'.repeat(400), [
      list(items, 'Everything'),
      fields(Array.from({ length: 35 }, (_, i) => [`F${i}`, 'z'.repeat(i === 3 ? 5000 : 100)] as [string, string])),
      text('w'.repeat(9000)),
      buttons(...Array.from({ length: 60 }, (_, i) => ({ label: `Button ${i} ${'x'.repeat(100)}`, command: `help ${i}` }))),
    ]);
    const messages = renderReply(r);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expectWithinLimits(m as never);
    const all = messages.map((m) => shownText(m as never)).join('\n');
    for (let i = 0; i < 200; i++) expect(all).toContain(`item-${i} `);
    // The 5000-character field became sections of its own instead of being cut short.
    expect(all.match(/z/g)!.length).toBe(34 * 100 + 5000);
    expect(all.match(/w/g)!.length).toBe(9000);
    const header = messages[0]!.blocks[0]!;
    expect(header.type).toBe('header');
  });

  it('cuts long text at line breaks and never inside an entity or a link', () => {
    const entity = `${'a'.repeat(2997)}&amp;${'b'.repeat(100)}`;
    expect(splitMrkdwn(entity, 3000).map((p) => p.length)).toEqual([2997, 105]);
    const token = `${'a'.repeat(2990)}<https://x.test|label>${'b'.repeat(100)}`;
    expect(splitMrkdwn(token, 3000).map((p) => p.length)).toEqual([2990, 122]);
    expect(splitMrkdwn(`${'x'.repeat(2000)}\n${'y'.repeat(2000)}`, 3000)).toEqual(['x'.repeat(2000), 'y'.repeat(2000)]);
  });

  it('numbers buttons uniquely across the App Home', () => {
    const r = reply('A', [buttons({ label: 'a', command: 'help' }, { label: 'b', command: 'due' })]);
    const home = renderHome([r, r]);
    const ids = JSON.stringify(home).match(/"action_id":"pb:\d+"/g)!;
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });
});

describe('buttons with inputs', () => {
  it('carry their inputs in the value, and plain buttons carry just the command', () => {
    const [m] = renderReply(reply(undefined, [buttons({ label: 'Go', command: 'due' }, { label: 'Move', command: 'milestone move A1.2', inputs: [{ name: 'when', label: 'New date', kind: 'date' }] })]));
    const actions = m!.blocks.find((b) => b.type === 'actions')!;
    const values = actions.type === 'actions' ? actions.elements.map((e) => ('value' in e ? String(e.value) : '')) : [];
    expect(values[0]).toBe('due');
    expect(decodeButtonValue(values[1]!)).toEqual({ command: 'milestone move A1.2', inputs: [{ name: 'when', label: 'New date', kind: 'date' }] });
  });

  it('append quoted --name=value options that the core tokenizer reads back exactly', () => {
    for (const v of ['plain', 'with "double"', `both " and '`, `all " ' ’ ”`, '--not-an-option']) {
      expect(tokenize(`x ${quote(v)}`)[1]).toBe(v.includes('”') && v.includes('’') ? v.replace(/"/g, '”') : v);
    }
    const line = commandWithInputs(
      'milestone move A1.2',
      [
        { name: 'when', label: 'New date', kind: 'date' },
        { name: 'note', label: 'Note', kind: 'text' },
        { name: 'tentative', label: 'Tentative', kind: 'boolean' },
      ],
      {
        when: { when: { type: 'datepicker', selected_date: '2026-05-01' } },
        note: { note: { type: 'plain_text_input', value: 'it is "late"' } },
        tentative: { tentative: { type: 'checkboxes', selected_options: [] } },
      },
    );
    expect(tokenize(line)).toEqual(['milestone', 'move', 'A1.2', '--when=2026-05-01', '--note=it is "late"', '--tentative=false']);
  });
});

it('escapes exactly the three control characters', () => {
  expect(escapeMrkdwn('a & b < c > d "e"')).toBe('a &amp; b &lt; c &gt; d "e"');
});

it('never sends a text object without text', () => {
  for (const m of renderReply(reply(undefined, [text(''), list([]), context('')]))) {
    expect(m.blocks.length).toBeGreaterThan(0);
    expect(JSON.stringify(m.blocks)).not.toContain('"text":""');
  }
});
