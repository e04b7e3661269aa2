// Issue 12 §4-5: each persona sees what it acts on, help says who may run a command, history and
// the digest read as sentences, and text is taken as people type it.
import { describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { parseInstant } from '../src/core/clock.ts';
import { tokenize } from '../src/core/tokenize.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { buildDigest } from '../src/domain/digest.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

const run = async (line: string, as: string) => (await runAs(f, line, as)).out;

const SECRETARIAT = 'demo-secretariat';
const COORDINATOR = 'demo-amsterdam';
const A1_LEAD = 'demo-ashoka-hello-europe';
const MEMBER = 'demo-milan';

describe('a view for each persona', () => {
  it('due --mine gives the secretariat and coordinators the whole partnership, not "nothing is overdue"', async () => {
    const all = await run('due', SECRETARIAT);
    const overdue = /Overdue \((\d+)\)/.exec(all)![1];
    for (const who of [SECRETARIAT, COORDINATOR]) {
      const out = await run('due --mine', who);
      expect(out).not.toContain('Nothing is overdue');
      expect(out).toContain('the whole partnership');
      expect(out).toContain(`Overdue (${overdue})`);
      expect(out).toMatch(/Agendas to freeze \(1\):\n\s+• P5 Online plenary — December 2025 \(tbc\): 0 items, agenda open; freeze by 2025-11-24/);
    }
  });

  it('due --mine and me name the failed notifications to the secretariat', async () => {
    const partnershipId = f.partnershipId;
    await f.db.prisma.outboxMessage.create({
      data: { partnershipId, key: 'test:failed', kind: 'nudge', dueAt: new Date(), status: 'failed', payload: {}, lastError: 'no linked account' },
    });
    try {
      expect(await run('due --mine', SECRETARIAT)).toContain('1 notification not delivered — "notify outbox --failed" lists them');
      expect(await run('me', SECRETARIAT)).toContain('1 notification not delivered');
      expect(await run('due --mine', A1_LEAD)).not.toContain('not delivered');
    } finally {
      await f.db.prisma.outboxMessage.deleteMany({ where: { key: 'test:failed' } });
    }
  });

  it('me shows the secretariat the partnership\'s deadlines and agendas to freeze; a member only their Actions', async () => {
    const sec = await run('me', SECRETARIAT);
    expect(sec).toMatch(/The partnership's deadlines \(\d+\)/);
    expect(sec).toMatch(/… and \d+ more: type "due --mine"/);
    expect(sec).toContain('Agendas to freeze (1)');
    const member = await run('me', MEMBER);
    expect(member).toContain('My deadlines');
    expect(member).not.toContain('Agendas to freeze');
    expect(member).not.toMatch(/A[23]\.\d/);
    expect(await run('due --mine', MEMBER)).toContain('A1, A4');
  });

  it('help says who may run a command', async () => {
    expect(await run('help milestone move', MEMBER)).toContain('Who: the co-leaders of the Action it concerns, the secretariat or the coordinators');
    expect(await run('help agenda freeze', MEMBER)).toContain('Who: the secretariat or the coordinators');
    expect(await run('help agenda remove', MEMBER)).toContain('Who: whoever proposed the item, the secretariat or the coordinators');
    expect(await run('help due', MEMBER)).toContain('Who: anyone, linked or not');
    expect(await run('help agenda', MEMBER)).toContain('(any linked member of the partnership)');
  });

  it('due --action names an Action that does not exist', async () => {
    expect(await run('due --action A9', MEMBER)).toContain('There is no Action A9.');
    expect(await run('due --mine --action A9', SECRETARIAT)).toContain('There is no Action A9.');
  });

  it('counts agree with their nouns', async () => {
    expect(await run('due --days 1', MEMBER)).toContain('the next 1 day)');
    expect(await run('leadtimes 1,7', MEMBER)).toContain('nudged 7 days, 1 day before');
  });
});

describe('history and the digest in words', () => {
  it('history does not repeat the field the verb names', async () => {
    await run('milestone status A1.3 in_progress', A1_LEAD);
    await run('milestone move A1.3 2026-01', A1_LEAD);
    const out = await run('history A1.3', MEMBER);
    expect(out).toContain('status: planned → in progress');
    expect(out).toContain('moved: 2025-12 → 2026-01');
    expect(out).not.toMatch(/status: status|when: .* → when:/);
  });

  it('the digest says what changed as a sentence', async () => {
    await run('agenda add AOB', SECRETARIAT);
    const digest = renderText(await buildDigest({ db: f.db.prisma, partnership: await f.db.prisma.partnership.findFirstOrThrow(), clock: f.clock, today: () => '2025-11-20' }));
    expect(digest).toMatch(/P5 agenda: item \d+ 'AOB' added by Laura Meijer/);
    expect(digest).toContain("A1.3 planned → in progress, by Yasmin Khalil");
    expect(digest).toMatch(/A1\.3 moved from December 2025 to January 2026 by/);
    expect(digest).not.toMatch(/\{|status: |\bwhen: /);
  });
});

describe('input as people type it', () => {
  it('reads an apostrophe inside a word as text, and still reads quoted text', () => {
    expect(tokenize(`agenda add Let's discuss budgets`)).toEqual(['agenda', 'add', "Let's", 'discuss', 'budgets']);
    expect(tokenize(`x Partners' meeting 'quoted text' l’avenir`)).toEqual(['x', "Partners'", 'meeting', 'quoted text', 'l’avenir']);
    expect(tokenize(`x 'tis fine`)).toEqual(['x', "'tis", 'fine']);
    expect(tokenize(`x --note='it is "late"' --b=it's`)).toEqual(['x', '--note=it is "late"', "--b=it's"]);
    expect(() => tokenize('x "open')).toThrow('not closed');
  });

  it('takes unquoted text with apostrophes in agenda add and milestone add', async () => {
    expect(await run(`agenda add Let's discuss budgets`, MEMBER)).toContain("Let's discuss budgets");
    const out = await run(`milestone add A1 2026-09 Partner's meeting`, A1_LEAD);
    expect(out).toMatch(/Added A1\.\d+[\s\S]*Partner's meeting — September 2026/);
  });

  it('lets the secretariat add to a frozen agenda, not members', async () => {
    await run('agenda freeze', SECRETARIAT);
    expect(await run('agenda add Late item from a member', MEMBER)).toContain('The agenda of P5 is frozen.');
    expect(await run('agenda add Chair\'s closing remarks', SECRETARIAT)).toContain("Chair's closing remarks");
    await run('agenda freeze --open', SECRETARIAT);
  });
});

describe('the freeze reminder', () => {
  it('is not sent for an agenda already frozen', async () => {
    const reminders = async () => (await planAll(f.bot)).planned.filter((p) => p.kind === 'plenary-freeze').map((p) => p.key);
    f.clock.set(parseInstant('2025-11-21T10:00', 'Europe/Brussels'));
    await run('agenda freeze', SECRETARIAT);
    expect(await reminders()).toEqual([]);
    await run('agenda freeze --open', SECRETARIAT);
    expect(await reminders()).toHaveLength(1);
    f.clock.set(parseInstant('2025-11-20', 'Europe/Brussels'));
  });
});
