// Every command through the Bot entry point, as an adapter calls it, on the shipped plan.
import { describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/bot.ts';
import { plainText } from '../src/core/reply.ts';
import { renderText } from '../src/delivery/plain-text.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

/** Runs a line as a person (as the shell does with --as), or as an unlinked Slack user. */
const run = (line: string, as?: string, extra: Partial<Invocation> = {}) => runAs(f, line, as, extra);

const SECRETARIAT = 'demo-secretariat';
const A1_LEAD = 'demo-ashoka-hello-europe';
const A2_LEAD = 'demo-cor';
const MEMBER = 'demo-milan';

describe('reading the plan', () => {
  it('actions lists the four Actions with co-leaders and the March 2027 deadline', async () => {
    const { out, reply } = await run('actions');
    expect(reply.error).toBeFalsy();
    for (const line of ['A1 Labour', 'A2 Education', 'A3 Disinformation', 'A4 Funding']) expect(out).toContain(line);
    expect(out).toContain('Ashoka Hello Europe & Flanders Region');
    expect(out.match(/deadline March 2027/g)).toHaveLength(4);
  });

  it('action shows objective, co-leaders, next milestones, outputs and state of play', async () => {
    const { out } = await run('/partner action a1');
    expect(out).toContain('Improved awareness of existing practices');
    expect(out).toMatch(/Next milestones:\n(.|\n)*A1\.2 Second Virtual Exchange — Oct–Dec 2025 · planned · ongoing/);
    expect(out).toContain('A1.O1 Virtual exchanges of best practices');
    expect(out).toMatch(/State of play: Planning first activity.*\(from the work plan\)/);
  });

  it('due puts overdue first and names what runs now, at the given instant', async () => {
    const { out } = await run('due');
    expect(out.indexOf('Overdue')).toBeLessThan(out.indexOf('Running now'));
    expect(out).toMatch(/Running now \(\d+\):\n(.|\n)*A1\.2 Second Virtual Exchange — Oct–Dec 2025/);
    expect(out).toMatch(/Starts \(1\):\n  • A1\.3 Presentation at European Integration Network/);
    const a1 = (await run('due --action A1 --days 60')).out;
    expect(a1).not.toContain('A2.');
    expect(a1).toMatch(/Falls due(.|\n)*A1\.2/);
  });

  it('due --mine covers the Actions of my organisation only', async () => {
    // AER co-leads A3 and sits in the A1 group, not in A2 or A4.
    const { out } = await run('due --mine --days 365', 'demo-aer');
    expect(out).toMatch(/\bA3\./);
    expect(out).toMatch(/\bA1\./);
    expect(out).not.toMatch(/\bA[24]\./);
    expect((await run('due --mine')).reply.error).toBe(true);
  });

  it('plenary shows a fixed start time in the partnership\'s time zone', async () => {
    const p5 = await f.db.prisma.meeting.findFirstOrThrow({ where: { code: 'P5' } });
    await f.db.prisma.meeting.update({ where: { id: p5.id }, data: { startsAt: new Date('2025-12-11T08:30:00Z') } });
    try {
      expect((await run('plenary')).out).toMatch(/When: 11 Dec 2025 at 09:30\b/);
    } finally {
      await f.db.prisma.meeting.update({ where: { id: p5.id }, data: { startsAt: p5.startsAt } });
    }
  });

  it('plenary names the December 2025 online plenary (tbc), and lists all', async () => {
    expect((await run('plenary')).out).toContain('Online plenary (online) — December 2025 (tbc)');
    const list = (await run('plenary list')).out;
    expect(list.match(/plenary/gi)!.length).toBeGreaterThanOrEqual(9);
    expect(list).toContain('March 2025 · past');
  });

  it('timeline, monitoring, members, whois, me and help answer', async () => {
    expect((await run('timeline A3')).out).toMatch(/A3\.1\.1 .*\n/);
    expect((await run('monitoring')).out).toMatch(/Action: A4 Increasing coherence(.|\n)*Co-leaders: Eurocities and CEB/);
    expect((await run('members A2')).out).toMatch(/Co-leaders:\n(.|\n)*Council of Europe Development Bank/);
    expect((await run('whois Flanders')).out).toMatch(/Roles: .*co-leader of A1.*/);
    expect((await run('whois Flanders')).out).toMatch(/Roles: .*co-leader of A3.*/);
    expect((await run('me', A1_LEAD)).out).toMatch(/Roles: co-leader of A1(.|\n)*My deadlines:(.|\n)*A1\.2 Second Virtual Exchange(.|\n)*Next plenary: P5 Online plenary — December 2025 \(tbc\)/);
    expect((await run('me')).out).toContain('not linked');
    expect((await run('help')).out).toContain('milestone: show, add, move, status, done');
    expect((await run('help due')).out).toContain('Usage: due [--days <days>] [--action <action>] [--mine]');
  });
});

describe('bad input gets a short message with the correct form, and changes nothing', () => {
  it.each([
    ['dew', /Unknown command "dew"\.(.|\n)*Did you mean "due"/],
    ['action A9', /There is no Action A9\.(.|\n)*A1 to A4/],
    ['action X1', /"X1" is not an id I know(.|\n)*A1\.3 \(activity\)/],
    ['due --days many', /--days must be a number, not "many"/],
    ['due --weeks 2', /"due" has no option --weeks/],
    ['due --days 900', /days: at most 366\.(.|\n)*Usage: due/],
    ['agenda remove 0', /number: at least 1\./],
    ['agenda remove 99999999999999', /number: at most 999\./],
    [`agenda add "${'x'.repeat(201)}"`, /item: at most 200 characters\./],
    ['milestone', /Missing id\.(.|\n)*Usage: milestone show <id>/],
    ['output frobnicate', /"output" has no subcommand "frobnicate"(.|\n)*output add/],
    ['milestone move A1.2', /Missing when(.|\n)*Usage: milestone move <id> <when>/],
    ['milestone move A1.2 soonish', /"soonish" is not a date I understand; use 2025-12-15/],
    ['milestone move A1.99 2026-01', /A1 has no activity A1\.99/],
    ['output status A1.O1 finished', /status: Invalid option(.|\n)*planned\|drafting/],
    ['agenda add "unclosed', /quotation mark is not closed/],
  ])('%s', async (line, message) => {
    const before = await f.db.prisma.auditEntry.count({ where: { verb: { not: 'refused' } } });
    const { reply, out } = await run(line, SECRETARIAT);
    expect(reply.error).toBe(true);
    expect(out).toMatch(message);
    expect(out).not.toMatch(/at .*\.ts:\d+/);
    expect(await f.db.prisma.auditEntry.count({ where: { verb: { not: 'refused' } } })).toBe(before);
  });

  it('refuses text over the length limit', async () => {
    const { out } = await run(`status A1 "${'x'.repeat(2500)}"`, SECRETARIAT);
    expect(out).toMatch(/too long \(2500 characters; at most 2000\)/);
  });
});

describe('changing the plan', () => {
  it('an unlinked user can read but not change, is told how to link, and the refusal is audited', async () => {
    const { out, reply } = await run('milestone done A1.2');
    expect(reply.error).toBe(true);
    expect(out).toMatch(/not linked(.|\n)*invite code(.|\n)*link <code>/);
    expect((await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.2' } })).status).toBe('planned');
    expect(await f.db.prisma.auditEntry.count({ where: { verb: 'refused', platform: 'slack' } })).toBeGreaterThan(0);
  });

  it('a co-leader of another Action is refused with who may do it', async () => {
    const { out } = await run('milestone move A1.2 2026-01', A2_LEAD);
    expect(out).toMatch(/Only the co-leaders of A1 \(Ashoka Hello Europe, Flanders Region\), the secretariat or the coordinators/);
  });

  it('a co-leader marks a milestone done: saved, audited, announced, in history', async () => {
    const { reply, out } = await run('milestone done A1.2', A1_LEAD);
    expect(reply.error).toBeFalsy();
    expect(out).toContain('A1.2 Second Virtual Exchange: planned → done');
    expect(reply.announce).toEqual([expect.objectContaining({ scope: 'action', actionNumber: 1 })]);
    expect((await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.2' } })).status).toBe('done');
    expect((await run('history A1.2')).out).toMatch(/— .* \(shell\) status: planned → done/);
    expect((await run('due --action A1')).out).not.toContain('A1.2 Second');
  });

  it('moves a milestone to a fuzzy window or a phrase', async () => {
    expect((await run('milestone move A1.5 2026-Q3 tbc', A1_LEAD)).out).toContain('2026, timing TBD → Q3 2026 (tbc)');
    expect((await run('milestone move A1.4 "in 2 weeks"', SECRETARIAT)).out).toContain('→ 4 Dec 2025');
    expect((await run('history A1.4')).out).toContain('moved: 2026-01..2026-05 → 2025-12-04');
  });

  it('adds milestones and steps with the next free id', async () => {
    expect((await run('milestone add A2 2026-03 "Webinar on the mapping"', A2_LEAD)).out).toContain('A2.4 Webinar on the mapping — March 2026');
    expect((await run('milestone add A2 2026-Q2 tbc Study visit', A2_LEAD)).out).toContain('A2.5 Study visit — Q2 2026 (tbc)');
    expect((await run('milestone add A2 2026-02 --parent A2.4 "Speakers confirmed"', A2_LEAD)).out).toContain('A2.4.1 Speakers confirmed');
    expect((await run('milestone add A2 2026-02 --parent A2.4.1 "Too deep"', A2_LEAD)).out).toContain('already a step');
  });

  it('outputs follow their lifecycle', async () => {
    expect((await run('output status A1.O2 in_review', A1_LEAD)).out).toMatch(/cannot go to in review directly(.|\n)*drafting/);
    expect((await run('output status A1.O2 drafting', A1_LEAD)).out).toContain('planned → drafting');
    expect((await run('output link A1.O2 javascript:alert(1)', A1_LEAD)).reply.error).toBe(true);
    expect((await run('output link A1.O2 https://example.org/report.pdf', A1_LEAD)).out).toContain('https://example.org/report.pdf');
    const show = (await run('output show A1.O2')).reply;
    expect(show.blocks.find((b) => b.type === 'buttons')).toMatchObject({ buttons: [{ command: 'output status A1.O2 in_review' }, expect.anything(), expect.anything()] });
    expect((await run('output add A3 guidelines 2026-11 "Guidance for municipalities"', 'demo-aer')).out).toContain('A3.O5 Guidance for municipalities');
  });

  it('the state of play shows in action and monitoring with who set it', async () => {
    await run('status A1 "Second exchange held in Milan; report drafting"', A1_LEAD);
    expect((await run('monitoring')).out).toContain('State of play: Second exchange held in Milan; report drafting');
    expect((await run('action A1')).out).toMatch(/Second exchange held in Milan; report drafting \(.+, 2025-11-20\)/);
  });
});

describe('plenary agendas', () => {
  it('members add items, only the secretariat orders and freezes', async () => {
    expect((await run('agenda add "Results of the self-assessment" --minutes 20 --action A3', MEMBER)).out).toMatch(/1\. Results of the self-assessment \(20 min\) \[A3\]/);
    await run('agenda add Update from the EIN meeting', A1_LEAD);
    expect((await run('agenda remove 1', A1_LEAD)).out).toContain('Only the secretariat, or whoever proposed it');
    expect((await run('agenda order 2 1', MEMBER)).out).toContain('Only the secretariat or the coordinators');
    expect((await run('agenda order 2 1', SECRETARIAT)).out).toMatch(/1\. Update from the EIN meeting(.|\n)*2\. Results of the self-assessment/);
    expect((await run('agenda freeze', SECRETARIAT)).out).toContain('agenda frozen');
    expect((await run('agenda add "Late item"', MEMBER)).out).toContain('frozen');
    const agenda = (await run('agenda')).out;
    expect(agenda).toContain('Agenda of P5 Online plenary');
    expect(agenda).toContain('2 items, 20 minutes · agenda frozen');
    expect((await run('agenda remove 2', MEMBER)).out).toContain('frozen');
  });
});

describe('decisions and targets', () => {
  it('the secretariat records decisions; co-leaders update their targets', async () => {
    expect((await run('decision add P4 "Questionnaire validated"', MEMBER)).out).toContain('Only the secretariat');
    expect((await run('decision add P4 "Questionnaire validated"', SECRETARIAT)).out).toContain('1. Questionnaire validated');
    expect((await run('decision list P4')).out).toMatch(/P4 .*\n(.|\n)*1\. Questionnaire validated/);
    expect((await run('target A3 self-assessment-departments 12', A1_LEAD)).out).toContain('Only the co-leaders of A3');
    expect((await run('target A3 nope 12', 'demo-aer')).out).toMatch(/A3 has no target "nope"(.|\n)*Its targets: /);
    expect((await run('target A3 self-assessment-departments 12', 'demo-aer')).reply.error).toBeFalsy();
    expect((await run('action A3')).out).toMatch(/: 12 of 30 departments/);
  });
});

describe('identity', () => {
  it('the secretariat invites, a chat user links once, and can then act', async () => {
    expect((await run('invite demo-flanders', MEMBER)).reply.error).toBe(true);
    const invite = await run('invite demo-flanders', SECRETARIAT);
    const code = plainText((invite.reply.blocks[0] as { text: string[] }).text);
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(await f.db.prisma.inviteCode.count({ where: { codeHash: code } })).toBe(0);
    const slack = { platform: 'slack', workspaceId: 'T1', userId: 'U-FLANDERS', displayName: 'flanders' } as const;
    const once = await f.bot.handle({ ...slack, text: `link ${code.toLowerCase()}` });
    expect(renderText(once)).toContain('Welcome,');
    expect(renderText(await f.bot.handle({ ...slack, userId: 'U-OTHER', text: `link ${code}` }))).toContain('already been used');
    expect(renderText(await f.bot.handle({ ...slack, text: 'me' }))).toMatch(/co-leader of A1, co-leader of A3/);
    const done = await f.bot.handle({ ...slack, text: 'milestone status A3.1 in_progress' });
    expect(done.error).toBeFalsy();
    expect(renderText(await f.bot.handle({ ...slack, text: 'link NOPE-NOPE' }))).toContain('not valid');
  });

  it('binding a channel needs a channel', async () => {
    expect((await run('channel bind A2', SECRETARIAT)).out).toContain('Run this in the channel');
  });
});
