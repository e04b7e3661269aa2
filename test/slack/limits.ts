// Slack's documented Block Kit limits, checked on whatever the adapter sends.
import { expect } from 'vitest';

type Json = Record<string, unknown>;

const textOf = (o: unknown) => String((o as Json | undefined)?.['text'] ?? '');

export function expectWithinLimits(message: Json): void {
  const text = String(message['text'] ?? '');
  expect(text.length, 'fallback text present').toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(40000);
  const blocks = (message['blocks'] ?? []) as Json[];
  expect(blocks.length).toBeLessThanOrEqual(50);
  const actionIds = new Set<string>();
  for (const b of blocks) {
    if (b['type'] === 'header') {
      expect((b['text'] as Json)['type']).toBe('plain_text');
      expect(textOf(b['text']).length).toBeLessThanOrEqual(150);
    }
    if (b['type'] === 'section') {
      if (b['text']) expect(textOf(b['text']).length).toBeLessThanOrEqual(3000);
      const fields = (b['fields'] ?? []) as Json[];
      expect(fields.length).toBeLessThanOrEqual(10);
      for (const f of fields) expect(textOf(f).length).toBeLessThanOrEqual(2000);
    }
    if (b['type'] === 'context') {
      const elements = b['elements'] as Json[];
      expect(elements.length).toBeLessThanOrEqual(10);
      for (const e of elements) expect(textOf(e).length).toBeLessThanOrEqual(3000);
    }
    if (b['type'] === 'actions') {
      const elements = b['elements'] as Json[];
      expect(elements.length).toBeLessThanOrEqual(25);
      for (const e of elements) {
        expect(textOf(e['text']).length).toBeLessThanOrEqual(75);
        expect(String(e['value']).length).toBeLessThanOrEqual(2000);
        const id = String(e['action_id']);
        expect(id).toMatch(/^pb:\d+$/);
        expect(actionIds.has(id), `duplicate action_id ${id}`).toBe(false);
        actionIds.add(id);
      }
    }
  }
}

/** All the mrkdwn a message shows, for "is this content there" assertions. */
export function shownText(message: Json): string {
  const out: string[] = [];
  for (const b of (message['blocks'] ?? []) as Json[]) {
    if (b['text']) out.push(textOf(b['text']));
    for (const f of (b['fields'] ?? []) as Json[]) out.push(textOf(f));
    if (b['type'] === 'context') for (const e of b['elements'] as Json[]) out.push(textOf(e));
    if (b['type'] === 'actions') for (const e of b['elements'] as Json[]) out.push(textOf(e['text']));
  }
  return out.join('\n');
}
