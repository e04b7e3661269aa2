// Issue 11, part 5: values that should never be stored — control characters in free text from any
// adapter or from a work-plan file, dates outside the partnership's life, moves that change nothing.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderText } from '../src/delivery/plain-text.ts';
import { commandWithInputs } from '../adapters/slack/inputs.ts';
import type { Invocation } from '../src/core/bot.ts';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { ganttModel } from '../src/exports/gantt/model.ts';
import { parseWorkPlan, WorkPlanError } from '../src/workplan/load.ts';
import { shippedPlanForFile } from './support/database.ts';

const f = shippedPlanForFile('2025-11-20');

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

describe('dates outside the partnership\'s life', () => {
  const a15 = () => f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.5' } });

  it('refuses a date before the plan\'s first year or more than two years after its last deadline, naming the range', async () => {
    const before = { when: (await a15()).whenText, audit: await auditCount() };
    for (const line of ['milestone move A1.5 1999', 'milestone move A1.5 2029-04', 'milestone add A1 1999 "Old visit"', 'output add A1 report 2031 "Late report"']) {
      expect(await run(line), line).toContain('is outside this partnership\'s plan: dates from 2024-01-01 to 2029-03-31 are accepted.');
    }
    expect((await a15()).whenText).toBe(before.when);
    expect(await auditCount()).toBe(before.audit);
  });

  it('accepts a date past the Action\'s deadline, with a warning to the asker only', async () => {
    const person = await f.db.prisma.person.findFirstOrThrow({ where: { key: SECRETARIAT } });
    const reply = await f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: 's', displayName: 's', trustedPersonId: person.id, text: 'milestone move A1.5 2027-06' });
    expect(renderText(reply)).toContain("Note: that is after A1's deadline (March 2027).");
    expect(renderText(reply.announce![0]!.message)).not.toContain('Note');
    expect((await a15()).whenText).toBe('2027-06');
  });

  it('moving an item to the date it already has changes, announces and audits nothing', async () => {
    const audit = await auditCount();
    const person = await f.db.prisma.person.findFirstOrThrow({ where: { key: SECRETARIAT } });
    const reply = await f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: 's', displayName: 's', trustedPersonId: person.id, text: 'milestone move A1.5 2027-06' });
    expect(renderText(reply)).toContain('A1.5 is already June 2027; nothing changed.');
    expect(reply.announce).toBeUndefined();
    expect(await auditCount()).toBe(audit);
  });

  it('a chart does not fail because of one odd item stored before these checks', async () => {
    const partnership = await f.db.prisma.partnership.findUniqueOrThrow({ where: { id: f.partnershipId } });
    // The chart as it is without A1.5, which the odd date then goes to.
    await f.db.prisma.activity.update({ where: { id: (await a15()).id }, data: { whenKind: 'unknown', whenStart: null, whenEnd: null, whenText: 'tbd' } });
    const usual = await ganttModel(f.db.prisma, partnership, { steps: false, today: '2025-11-20' });
    await f.db.prisma.activity.update({ where: { id: (await a15()).id }, data: { whenKind: 'year', whenStart: new Date('1999-01-01'), whenEnd: new Date('1999-12-31'), whenText: '1999' } });
    const model = await ganttModel(f.db.prisma, partnership, { steps: false, today: '2025-11-20' });
    expect([model.from, model.to]).toEqual([usual.from, usual.to]);
    const out = await run('gantt');
    expect(out).not.toContain('months');
    const narrowed = await ganttModel(f.db.prisma, partnership, { steps: false, today: '2025-11-20', to: '2026-12' });
    expect(narrowed.to).toBe('2026-12');
    expect(await run('gantt --from 1999-01 --to 2027-03')).toContain('That is 339 months; a chart shows at most 60.');
  });
});
