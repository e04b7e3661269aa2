// Issue 11, part 5: values that should never be stored — control characters in free text from any
// adapter or from a work-plan file, dates outside the partnership's life, moves that change nothing.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderText } from '../adapters/shell/render.ts';
import { commandWithInputs } from '../adapters/slack/inputs.ts';
import type { Invocation } from '../src/core/bot.ts';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { parseWorkPlan, WorkPlanError } from '../src/workplan/load.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
});
afterAll(async () => {
  await f?.db.drop();
});

const SECRETARIAT = 'demo-secretariat';

async function as(key: string, inv: Partial<Invocation>): Promise<string> {
  const person = await f.db.prisma.person.findFirstOrThrow({ where: { key } });
  return renderText(await f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: key, displayName: key, trustedPersonId: person.id, ...inv }));
}
const run = (text: string) => as(SECRETARIAT, { text });
const statePlay = async () => (await f.db.prisma.action.findFirstOrThrow({ where: { partnershipId: f.partnershipId, number: 1 } })).statePlay;
const auditCount = () => f.db.prisma.auditEntry.count({ where: { partnershipId: f.partnershipId } });

describe('control characters', () => {
  it('a typed line with a bell or an escape sequence is refused and nothing is stored', async () => {
    const before = { play: await statePlay(), audit: await auditCount() };
    const out = await run('status A1 "bell\x07 esc\x1b[31mred"');
    expect(out).toContain('The command contains a control character (U+0007 bell), which I do not store.');
    expect(out).not.toMatch(/[\x07\x1b]/);
    expect(await statePlay()).toBe(before.play);
    expect(await auditCount()).toBe(before.audit);
  });

  it('Discord option values and Slack modal submissions are refused the same way', async () => {
    const discord = await as(SECRETARIAT, { platform: 'discord', command: { name: 'status', options: { action: 'A1', text: 'esc\x1b[31mred' } } });
    expect(discord).toContain('--text contains a control character (U+001B escape)');
    const modal = commandWithInputs('milestone move A1.2', [{ name: 'when', label: 'New date', kind: 'text' }], { when: { when: { type: 'plain_text_input', value: '2026-01\x9b' } } });
    expect(await run(modal)).toContain('contains a control character (U+009B)');
    expect(await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.2' } })).toMatchObject({ whenText: '2025-10..2025-12' });
  });

  it('keeps line breaks and tabs, and turns carriage returns into line breaks', async () => {
    expect(await run('status A1 "line one\r\nline two\r\tindented"')).not.toContain('control character');
    expect(await statePlay()).toBe('line one\nline two\n\tindented');
  });

  it('strips them from a display name the platform sends, which cannot be refused', async () => {
    await f.bot.handle({ platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'Mall\x1b[2Jory', text: 'status A1 "Refused: not linked"' });
    const refusal = await f.db.prisma.auditEntry.findFirstOrThrow({ where: { partnershipId: f.partnershipId, verb: 'refused' }, orderBy: { at: 'desc' } });
    expect(refusal.actorLabel).toBe('Mall[2Jory (unlinked slack user)');
  });

  it('a work-plan file cannot carry them either, and the error names the place', async () => {
    const shipped = await readFile(SHIPPED_WORKPLAN, 'utf8');
    const tampered = shipped.replace('title: Second Virtual Exchange', 'title: "Second \\e[31mVirtual\\a Exchange"');
    expect(tampered).not.toBe(shipped);
    let error: WorkPlanError | undefined;
    try {
      parseWorkPlan(tampered, 'plan.yaml');
    } catch (e) {
      error = e as WorkPlanError;
    }
    expect(error).toBeInstanceOf(WorkPlanError);
    expect(error!.problems).toEqual([expect.stringMatching(/^actions\[0\]\.activities\[1\]\.title: contains a control character \(U\+001B escape\)/)]);
    const link = stringify({ link: 'https://example.org/\x1b[31m' }).trim();
    expect(() => parseWorkPlan(shipped.replace(/^meetings:\n/m, `meetings:\n  - { kind: webinar, title: Webinar, when: "2026-05", ${link} }\n`), 'plan.yaml')).toThrow(
      /meetings\[0\]\.link: contains a control character/,
    );
  });
});
