// What the terminal shows for each kind of block: the shell's whole output, and the plain fallback.
import { describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { buttons, context, divider, errorReply, fields, link, list, mention, reply, text } from '../src/core/reply.ts';

describe('plain terminal text', () => {
  it('shows a title, text with mentions and links, a note and a divider', () => {
    const shown = renderText(
      reply('Due', [text('Hello ', mention('Ann', { slack: 'U1' }), ', see ', link('https://x.test', 'the plan')), context('as of today'), divider()]),
    );
    expect(shown).toBe(`== Due ==\nHello @Ann, see the plan (https://x.test)\n  (as of today)\n${'—'.repeat(40)}`);
  });

  it('puts a one-line field beside its label and indents every line of a longer one', () => {
    expect(renderText(reply(undefined, [fields([['When', 'June 2025'], ['Notes', 'first\nsecond']])]))).toBe('When: June 2025\nNotes:\n  first\n  second');
  });

  it('shows a list under its title, or alone', () => {
    expect(renderText(reply(undefined, [list(['a', 'b'], 'Overdue')]))).toBe('Overdue:\n  • a\n  • b');
    expect(renderText(reply(undefined, [list(['a'])]))).toBe('  • a');
  });

  it('shows each button with the command to type instead', () => {
    expect(renderText(reply(undefined, [buttons({ label: 'Done', command: 'milestone done A1.2' }, { label: 'Move', command: 'milestone move A1.2' })]))).toBe(
      '  [Done: "milestone done A1.2"] [Move: "milestone move A1.2"]',
    );
  });

  it('marks an error with a cross, on its title or else on its first line', () => {
    expect(renderText(errorReply('No such item', 'Type "timeline"'))).toBe('✗ No such item\n  (Type "timeline")');
    expect(renderText(reply('Refused', [text('why')], { error: true }))).toBe('✗ Refused\nwhy');
    expect(renderText(reply(undefined, [], { error: true }))).toBe('');
  });

  it('names each attachment', () => {
    const file = { filename: 'plan.ics', contentType: 'text/calendar', data: new Uint8Array() };
    expect(renderText(reply('Calendar', [], { attachments: [file] }))).toBe('== Calendar ==\n[attachment plan.ics]');
  });
});
