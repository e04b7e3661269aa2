// Slack mrkdwn from data the bot stores: a stored id or URL never becomes a ping or a link it should
// not, and long text is cut without breaking an entity (&amp;) or a token (<url|label>) in two.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { richToFallback, richToMrkdwn, splitMrkdwn, truncate } from '../../adapters/slack/mrkdwn.ts';
import { link, mention } from '../../src/core/reply.ts';
import { finishesWithin } from '../support/finishes.ts';

describe('mentions and links from stored data', () => {
  it.each(['U42', 'W0ABC123', 'U1'])('mentions a real Slack user id %s', (id) => {
    expect(richToMrkdwn([mention('Ann', { slack: id })])).toBe(`<@${id}>`);
  });

  it.each(['!channel', '!here', 'U1> <!channel', 'xU123', 'U123 ', 'u123', 'U', 'C123', 'U12|x', '', 'U1\n<!here>'])(
    'never turns the malformed stored id %j into a mention',
    (id) => {
      expect(richToMrkdwn([mention('Eve & <co>', { slack: id })])).toBe('@Eve &amp; &lt;co&gt;');
    },
  );

  it('writes a run of text, mentions and links in order', () => {
    expect(richToMrkdwn(['Due: ', mention('Ann', { slack: 'U42' }), ' & ', link('https://x.test', 'plan')])).toBe('Due: <@U42> &amp; <https://x.test|plan>');
  });

  it('writes a person with no Slack account as plain text', () => {
    expect(richToMrkdwn([mention('Bob', { discord: '42' })])).toBe('@Bob');
  });

  it.each([
    ['https://x.test/a', '<https://x.test/a|Report>'],
    ['HTTP://x.test/a', '<HTTP://x.test/a|Report>'],
    ['mailto:sec@x.test', '<mailto:sec@x.test|Report>'],
    ['https://x.test/?a=1&b=<2>|3', '<https://x.test/?a=1&amp;b=%3C2%3E%7C3|Report>'],
  ])('links the web address %s', (url, shown) => {
    expect(richToMrkdwn([link(url, 'Report')])).toBe(shown);
  });

  it.each(['javascript:x//https:', 'javascript:alert(1)', ' https://x.test', 'data:text/html,https:', 'ftp://x.test'])(
    'shows the address %j as text, never as a link',
    (url) => {
      const shown = richToMrkdwn([link(url, 'a <b>')]);
      expect(shown).not.toContain('<');
      expect(shown).toContain(`a &lt;b&gt; (`);
    },
  );

  it('keeps the fallback text plain: no mention, no link', () => {
    expect(richToFallback(['Due: ', mention('Ann', { slack: 'U42' }), ' ', link('https://x.test', 'see <here>')])).toBe('Due: @Ann see &lt;here&gt; (https://x.test)');
  });
});

describe('splitting long text', () => {
  it('keeps a link whole when a long message is split at it', () => {
    const linkToken = '<https://x.test/report|the report>';
    const text = `${'a'.repeat(90)}${linkToken}${'b'.repeat(50)}`;
    const pieces = splitMrkdwn(text, 100);
    expect(pieces).toEqual(['a'.repeat(90), `${linkToken}${'b'.repeat(50)}`]);
  });

  it('keeps an entity whole, however near the limit it falls', () => {
    for (let at = 94; at <= 100; at++) {
      const text = `${'a'.repeat(at)}&amp;${'b'.repeat(40)}`;
      const pieces = splitMrkdwn(text, 100);
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) expect(p.length).toBeLessThanOrEqual(100);
      expect(pieces.some((p) => p.includes('&amp;'))).toBe(true);
    }
  });

  it('cuts an ampersand that is not an entity like any other character', () => {
    expect(splitMrkdwn(`${'a'.repeat(95)}&${'b'.repeat(20)}`, 100)).toEqual([`${'a'.repeat(95)}&${'b'.repeat(4)}`, 'b'.repeat(16)]);
    expect(splitMrkdwn(`${'a'.repeat(10)}&${'b'.repeat(80)};`, 50)).toEqual([`${'a'.repeat(10)}&${'b'.repeat(39)}`, `${'b'.repeat(41)};`]);
    expect(splitMrkdwn(`${'a'.repeat(90)}&amp;bbbbbbbbbbbbbbbbb;`, 100)[0]).toBe(`${'a'.repeat(90)}&amp;bbbbb`);
  });

  it('prefers a line break, then a space, in the second half of the window', () => {
    expect(splitMrkdwn(`${'a'.repeat(60)}\n${'b'.repeat(20)} ${'c'.repeat(30)}`, 100)).toEqual(['a'.repeat(60), `${'b'.repeat(20)} ${'c'.repeat(30)}`]);
    expect(splitMrkdwn(`${'a'.repeat(30)}\n${'b'.repeat(40)} ${'c'.repeat(40)}`, 100)).toEqual([`${'a'.repeat(30)}\n${'b'.repeat(40)}`, 'c'.repeat(40)]);
    expect(splitMrkdwn(`${'a'.repeat(100)} ${'b'.repeat(10)}`, 100)).toEqual(['a'.repeat(100), 'b'.repeat(10)]);
    expect(splitMrkdwn(`${'a'.repeat(20)} ${'b'.repeat(120)}`, 100)).toEqual([`${'a'.repeat(20)} ${'b'.repeat(79)}`, 'b'.repeat(41)]);
  });

  it('keeps each piece within the limit when a token or an entity starts just past it', () => {
    expect(splitMrkdwn(`${'a'.repeat(11)}<@U42>`, 10)).toEqual(['a'.repeat(10), 'a<@U42>']);
    expect(splitMrkdwn(`${'a'.repeat(11)}&amp;`, 10)).toEqual(['a'.repeat(10), 'a&amp;']);
  });

  it('cuts at a break exactly at the limit or exactly half-way, never leaving the break in a piece', () => {
    expect(splitMrkdwn(`${'a'.repeat(99)} ${'b'.repeat(10)}`, 100)).toEqual(['a'.repeat(99), 'b'.repeat(10)]);
    expect(splitMrkdwn(`${'a'.repeat(50)}\n${'b'.repeat(30)} ${'c'.repeat(30)}`, 100)).toEqual(['a'.repeat(50), `${'b'.repeat(30)} ${'c'.repeat(30)}`]);
    expect(splitMrkdwn(`${'a'.repeat(50)} ${'b'.repeat(60)}`, 100)).toEqual(['a'.repeat(50), 'b'.repeat(60)]);
    expect(splitMrkdwn(`${'a'.repeat(100)}\n`, 100)).toEqual(['a'.repeat(100)]);
  });

  it('sends text of exactly the limit as one piece, line breaks and all', () => {
    const text = `${'a'.repeat(60)}\n${'b'.repeat(39)}`;
    expect(splitMrkdwn(text, 100)).toEqual([text]);
  });

  it('fills the piece when a link too long to keep whole must be cut', () => {
    const pieces = splitMrkdwn(`<https://x.test/${'p'.repeat(60)}|a b c ${'q'.repeat(200)}>`, 100);
    expect(pieces[0]).toHaveLength(100);
  });

  it('gives short text back as it is, and empty text as one empty piece', () => {
    expect(splitMrkdwn('a'.repeat(100), 100)).toEqual(['a'.repeat(100)]);
    expect(splitMrkdwn('', 100)).toEqual(['']);
  });

  it('cuts a link longer than the limit instead of looping forever, dropping nothing', () => {
    const huge = `<https://x.test/${'p'.repeat(300)}|label>`;
    const pieces = finishesWithin(2000, () => splitMrkdwn(`${huge} tail`, 100));
    expect(pieces.join('').replace(/ /g, '')).toBe(`${huge}tail`);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(100);
  });

  it('never leaves an unclosed token or a broken entity in a piece, and drops nothing but the break it cut at', () => {
    const word = fc.constantFrom('word', 'x', '&amp;', '&lt;', '&gt;', '<https://x.test/a|label>', '<@U42>', '<mailto:a@b.test|mail>', 'ünïcode');
    const gap = fc.constantFrom(' ', '\n', '');
    const textArb = fc.array(fc.tuple(word, gap), { maxLength: 80 }).map((parts) => parts.map(([w, g]) => w + g).join(''));
    fc.assert(
      fc.property(textArb, fc.integer({ min: 30, max: 120 }), (text, max) => {
        const pieces = splitMrkdwn(text, max);
        expect(pieces.join('').replace(/[\n ]/g, '')).toBe(text.replace(/[\n ]/g, ''));
        for (const p of pieces) {
          expect(p.length).toBeLessThanOrEqual(max);
          expect(p.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]/);
          expect(p.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        }
      }),
    );
  });
});

describe('truncating a header or label', () => {
  it('keeps text within the limit, ending in an ellipsis only when cut', () => {
    expect(truncate('a'.repeat(10), 10)).toBe('a'.repeat(10));
    expect(truncate('a'.repeat(11), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('never ends inside an entity or a token', () => {
    expect(truncate(`${'a'.repeat(6)}&amp;bbbb`, 10)).toBe(`${'a'.repeat(6)}…`);
    expect(truncate('ab<https://x.test|x>', 10)).toBe('ab…');
    expect(truncate('<https://x.test|x> tail', 10)).toBe('<https://…');
  });
});
