// Discord markdown from user text and stored data: what is typed shows as typed, a stored id or URL
// never becomes a ping or a link it should not, and cutting never leaves a dangling escape.
import { describe, expect, it } from 'vitest';
import { escapeText, neutralise, renderRich, splitText, truncate } from '../../adapters/discord/markdown.ts';
import { link, mention } from '../../src/core/reply.ts';
import { finishesWithin } from '../support/finishes.ts';

const ZWSP = '\u200b';

describe('user text', () => {
  it.each([
    ['# heading', '\\# heading'],
    ['  - item', '  \\- item'],
    ['+ item', '\\+ item'],
    ['> quote', '\\> quote'],
    ['12. point', '12\\. point'],
    ['one\n2. two\n-# small', 'one\n2\\. two\n\\-# small'],
    ['a # b - c + d 3. e', 'a # b - c + d 3. e'],
    ['\\ * _ ~ ` | [ ] < >', '\\\\ \\* \\_ \\~ \\` \\| \\[ \\] \\< \\>'],
  ])('shows %j as typed', (typed, escaped) => {
    expect(escapeText(typed)).toBe(escaped);
  });

  it('breaks every @everyone and @here, in any case, and nothing else', () => {
    expect(escapeText('@everyone @Here @EVERYONE @someone')).toBe(`@${ZWSP}everyone @${ZWSP}Here @${ZWSP}EVERYONE @someone`);
    expect(neutralise('*@here* @everyone [x]')).toBe(`*@${ZWSP}here* @${ZWSP}everyone [x]`);
  });
});

describe('mentions and links from stored data', () => {
  it('mentions a real Discord user id, and collects it so that only it may notify', () => {
    const mentioned = new Set<string>();
    expect(renderRich(['Hi ', mention('Ana', { discord: '12345678901234567890' })], mentioned)).toBe('Hi <@12345678901234567890>');
    expect([...mentioned]).toEqual(['12345678901234567890']);
  });

  it.each(['123456789012345678901', '12a', 'a12', '1 ', '', '<@&1>', '1>'])('never turns the malformed stored id %j into a mention', (id) => {
    const mentioned = new Set<string>();
    expect(renderRich([mention('Eve_x', { discord: id })], mentioned)).toBe('@Eve\\_x');
    expect(mentioned.size).toBe(0);
  });

  it.each([
    ['https://x.test/a', '[Go](https://x.test/a)'],
    ['HTTP://x.test/(a) [b] <c>\td', '[Go](HTTP://x.test/%28a%29%20%5Bb%5D%20%3Cc%3E%09d)'],
  ])('links the web address %s', (url, shown) => {
    expect(renderRich([link(url, 'Go')], new Set())).toBe(shown);
  });

  it.each(['javascript:x//https://', 'mailto:a@b.test', 'https:x', ' https://x.test'])('shows %j as text, never as a link', (url) => {
    expect(renderRich([link(url, 'Go*')], new Set())).toBe(escapeText(`Go* (${url})`));
  });
});

describe('cutting', () => {
  it('truncates with an ellipsis only when needed, never after a lone escape backslash', () => {
    expect(truncate('abcde', 5)).toBe('abcde');
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(truncate('abc\\*def', 5)).toBe('abc…');
    expect(truncate('ab\\\\cdef', 5)).toBe('ab\\\\…');
    expect(truncate('a\\*bcdefgh', 6)).toBe('a\\*bc…');
  });

  it('splits at a line break, else a space, in the second half of the window, else anywhere', () => {
    expect(splitText(`${'a'.repeat(6)}\n${'b'.repeat(6)}`, 10)).toEqual(['a'.repeat(6), 'b'.repeat(6)]);
    expect(splitText(`${'a'.repeat(2)}\n${'b'.repeat(4)} ${'c'.repeat(6)}`, 10)).toEqual([`${'a'.repeat(2)}\n${'b'.repeat(4)}`, 'c'.repeat(6)]);
    expect(splitText(`${'a'.repeat(5)} ${'b'.repeat(8)}`, 10)).toEqual([`${'a'.repeat(5)}`, 'b'.repeat(8)]);
    expect(splitText(`${'a'.repeat(3)} ${'b'.repeat(12)}`, 10)).toEqual([`${'a'.repeat(3)} ${'b'.repeat(6)}`, 'b'.repeat(6)]);
    expect(splitText('a'.repeat(10), 10)).toEqual(['a'.repeat(10)]);
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText(`${'a'.repeat(5)}\n${'b'.repeat(2)} ${'c'.repeat(4)}`, 10)).toEqual(['a'.repeat(5), `${'b'.repeat(2)} ${'c'.repeat(4)}`]);
    expect(splitText(`${'a'.repeat(12)} b`, 10)).toEqual(['a'.repeat(10), 'aa b']);
    expect(splitText(`${'a'.repeat(10)}\n`, 10)).toEqual(['a'.repeat(10)]);
    expect(splitText(`${'a'.repeat(6)}\n${'b'.repeat(3)}`, 10)).toEqual([`${'a'.repeat(6)}\n${'b'.repeat(3)}`]);
  });

  it('never leaves an escape dangling at a cut, and always finishes', () => {
    const text = '\\*'.repeat(40);
    const pieces = finishesWithin(2000, () => splitText(text, 9));
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(9);
      expect(/(^|[^\\])(\\\\)*\\$/.test(p)).toBe(false);
    }
  });
});
