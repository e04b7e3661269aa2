// Every command that changes something, tried by people who may not: an unlinked chat user, a
// co-leader of another Action (A2, who also sits in the A1 group), and the secretariat of a second
// partnership sharing the database. Each attempt is refused, changes nothing, and is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot, Invocation } from '../../src/core/bot.ts';
import { HOW_TO_LINK, whoMay } from '../../src/core/permissions.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { parseWorkPlan } from '../../src/workplan/load.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';
import { GENERIC_ERROR, recordingBot, runAs, snapshot } from './support.ts';

const OTHER_PLAN = `
partnership: { slug: other-partnership, name: Partnership on Something Else, timeZone: Europe/Lisbon }
organisations:
  - { key: lisbon, name: Lisbon, kind: city, country: PT }
  - { key: secretariat, name: Other Secretariat, kind: secretariat }
coordinators: [lisbon]
people:
  - { key: other-secretariat, name: Sam Other, organisation: secretariat, roles: [secretariat], demo: true }
actions:
  - number: 1
    shortTitle: Housing
    title: Affordable housing
    objective: Something else entirely
    governanceLevels: [local]
    deadline: "2027-03"
    coLeaders: [lisbon]
`;

const TEAM = 'T1';
const CHANNEL = 'C-ANY';

/** Every mutating command, aimed at the shipped partnership's A1, P4/P5 and people. */
const MUTATING = [
  ['milestone add', 'milestone add A1 2026-03 "Sneaky milestone"'],
  ['milestone move', 'milestone move A1.2 2026-01'],
  ['milestone status', 'milestone status A1.2 in_progress'],
  ['milestone done', 'milestone done A1.2'],
  ['output add', 'output add A1 report 2026-11 "Sneaky output"'],
  ['output status', 'output status A1.O2 drafting'],
  ['output link', 'output link A1.O2 https://example.org/sneaky.pdf'],
  ['status', 'status A1 "All done, trust me"'],
  ['target', 'target A1 virtual-exchanges 2'],
  ['agenda add', 'agenda add "Sneaky item"'],
  ['agenda remove', 'agenda remove 1'],
  ['agenda order', 'agenda order 2 1'],
  ['agenda freeze', 'agenda freeze'],
  ['decision add', 'decision add P4 "Sneaky decision"'],
  ['invite', 'invite demo-flanders'],
  ['channel bind', 'channel bind A1'],
  ['calendar feed', 'calendar feed A1'],
  ['calendar revoke', 'calendar revoke <feed>'],
] as const;

/** The secretariat's calendar feed, made before the tests: "<feed>" in a line stands for its id. */
let feedId = '';
const withFeed = (line: string) => line.replace('<feed>', feedId);

let f: Fixture;
let bot: Bot;
let errors: string[];

async function linkSlackUser(userId: string, personKey: string, partnershipSlug: string): Promise<void> {
  const person = await f.db.prisma.person.findFirstOrThrow({ where: { key: personKey, partnership: { slug: partnershipSlug } } });
  await f.db.prisma.chatIdentity.create({ data: { personId: person.id, platform: 'slack', workspaceId: TEAM, externalId: userId } });
}

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  await importWorkPlan(f.db.prisma, parseWorkPlan(OTHER_PLAN, 'other.yaml'));
  // Two partnerships share the database now: the bot needs to be told which one this workspace is.
  ({ bot, errors } = recordingBot(f.db.prisma, f.clock, 'inclusion-of-migrants'));
  await linkSlackUser('U-COR', 'demo-cor', 'inclusion-of-migrants');
  await linkSlackUser('U-OTHER-SEC', 'other-secretariat', 'other-partnership');
  // Two agenda items on the next plenary, proposed by the secretariat, to remove and reorder.
  const secretariat = await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-secretariat' } });
  for (const line of ['agenda add "First item"', 'agenda add "Second item"', 'calendar feed']) {
    const { reply } = await runAs(bot, { platform: 'shell', workspaceId: 'local', userId: 's', displayName: 's', text: line, trustedPersonId: secretariat.id });
    expect(reply.error).toBeFalsy();
  }
  feedId = (await f.db.prisma.calendarFeed.findFirstOrThrow({ where: { createdById: secretariat.id } })).id;
});
afterAll(async () => {
  await f?.db.drop();
});

const slackUser = (userId: string) => (text: string): Invocation => ({ platform: 'slack', workspaceId: TEAM, userId, displayName: userId, channelId: CHANNEL, text });

const CO_LEADER = 'a co-leader of another Action';

const ACTORS = {
  'an unlinked user': slackUser('U-NOBODY'),
  [CO_LEADER]: slackUser('U-COR'),
  "another partnership's secretariat": slackUser('U-OTHER-SEC'),
} as const;

/**
 * Left out for the co-leader: any member may propose an agenda item or make a calendar feed (by
 * design), and removing someone else's item is turned down by the handler itself (tested on its own
 * below). Turning off someone else's feed is refused by its handler, and stays in the matrix.
 */
const MEMBER_LEVEL = new Set(['agenda add', 'agenda remove', 'calendar feed']);

async function expectRefusedAndAudited(actor: (text: string) => Invocation, name: string, line: string): Promise<void> {
  const before = await snapshot(f.db.prisma);
  const refusals = await f.db.prisma.auditEntry.count({ where: { verb: 'refused', entityCode: name } });
  const { reply, out } = await runAs(bot, actor(line));
  expect(reply.error, out).toBe(true);
  expect(out).not.toMatch(GENERIC_ERROR);
  expect(errors).toEqual([]);
  expect(await snapshot(f.db.prisma)).toEqual(before);
  expect(await f.db.prisma.auditEntry.count({ where: { verb: 'refused', entityCode: name } }), `refusal of "${line}" not audited`).toBe(refusals + 1);
}

describe.each(Object.entries(ACTORS))('%s', (who, actor) => {
  const cases = who === CO_LEADER ? MUTATING.filter(([name]) => !MEMBER_LEVEL.has(name)) : MUTATING;
  it.each(cases)('is refused "%s", which changes nothing and is audited', async (name, line) => {
    await expectRefusedAndAudited(actor, name, withFeed(line));
  });

  if (who === CO_LEADER) {
    it('is refused "agenda remove" of an item it did not propose, audited', async () => {
      await expectRefusedAndAudited(actor, 'agenda remove', 'agenda remove 1');
    });

    it('is refused "agenda remove" of an item it did not propose, which changes nothing', async () => {
      const before = await snapshot(f.db.prisma);
      const { reply, out } = await runAs(bot, actor('agenda remove 1'));
      expect(reply.error).toBe(true);
      expect(out).toContain('Only the secretariat, or whoever proposed it');
      expect(await snapshot(f.db.prisma)).toEqual(before);
    });
  }
});

it('the digest does notice a permitted change (so "unchanged" above means something)', async () => {
  const before = await snapshot(f.db.prisma);
  const { reply } = await runAs(bot, slackUser('U-COR')('agenda add "A legitimate item"'));
  expect(reply.error).toBeFalsy();
  expect(await snapshot(f.db.prisma)).not.toEqual(before);
});

describe('what a refusal says and records', () => {
  // The clock stands still in these tests, so the latest row is found by who refused what.
  const lastRefusal = (entityCode: string, actorLabel: string) =>
    f.db.prisma.auditEntry.findFirstOrThrow({ where: { verb: 'refused', entityCode, actorLabel }, orderBy: { id: 'desc' } });
  const A1_ONLY = 'Only the co-leaders of A1 (Ashoka Hello Europe, Flanders Region), the secretariat or the coordinators can use "milestone move".';

  it('tells a co-leader of another Action who may change A1, and records who asked, what and why', async () => {
    const { out } = await runAs(bot, ACTORS[CO_LEADER]('milestone move A1.2 2026-01'));
    expect(out).toBe(`✗ ${A1_ONLY}\n  (You are Beatriz Almeida.)`);
    expect(await lastRefusal('milestone move', 'Beatriz Almeida')).toMatchObject({
      entityType: 'command',
      entityId: 'milestone move',
      entityCode: 'milestone move',
      actorLabel: 'Beatriz Almeida',
      platform: 'slack',
      before: null,
      after: { reason: A1_ONLY },
    });
  });

  it('tells a member that only the secretariat or the coordinators may freeze the agenda', async () => {
    const { out } = await runAs(bot, ACTORS[CO_LEADER]('agenda freeze'));
    expect(out).toBe('✗ Only the secretariat or the coordinators can use "agenda freeze".');
    expect((await lastRefusal('agenda freeze', 'Beatriz Almeida')).after).toEqual({ reason: 'Only the secretariat or the coordinators can use "agenda freeze".' });
  });

  it('tells an unlinked user how to get linked, and lets them read without a refusal', async () => {
    const { name } = await f.db.prisma.partnership.findFirstOrThrow({ where: { slug: 'inclusion-of-migrants' } });
    const reason = `You are not linked to a member of ${name} yet, so you can read but not change anything.`;
    const { out } = await runAs(bot, ACTORS['an unlinked user']('agenda freeze'));
    expect(out).toBe(`✗ ${reason}\n  (${HOW_TO_LINK})`);
    expect(await lastRefusal('agenda freeze', 'U-NOBODY (unlinked slack user)')).toMatchObject({ entityType: 'command', entityId: 'agenda freeze', after: { reason } });
    const refusals = await f.db.prisma.auditEntry.count({ where: { verb: 'refused' } });
    const { reply } = await runAs(bot, ACTORS['an unlinked user']('actions'));
    expect(reply.error).toBeFalsy();
    expect(await f.db.prisma.auditEntry.count({ where: { verb: 'refused' } })).toBe(refusals);
  });

  it('names, in order, a person who co-leads in their own name, and no one when an Action has no co-leaders', async () => {
    const db = f.db.prisma;
    const a3 = await db.action.findFirstOrThrow({ where: { number: 3, partnership: { slug: 'inclusion-of-migrants' } } });
    const alex = await db.person.findFirstOrThrow({ where: { key: 'demo-secretariat', partnership: { slug: 'inclusion-of-migrants' } } });
    const roles = await db.actionRole.findMany({ where: { actionId: a3.id, role: 'co_leader' } });
    const reason = async () => ((await runAs(bot, ACTORS[CO_LEADER]('status A3 "All done, trust me"'))).out.split('\n')[0] ?? '').slice(2);
    const added = await db.actionRole.create({ data: { actionId: a3.id, role: 'co_leader', personId: alex.id } });
    try {
      const shown = await reason();
      const names = shown.match(/A3 \((.*)\)/)?.[1]?.split(', ');
      expect(names).toContain(alex.name);
      expect(names).toHaveLength(roles.length + 1);
      expect(names).toEqual([...names!].sort());
      await db.actionRole.deleteMany({ where: { actionId: a3.id, role: 'co_leader' } });
      expect(await reason()).toBe('Only the co-leaders of A3, the secretariat or the coordinators can use "status".');
    } finally {
      await db.actionRole.deleteMany({ where: { id: added.id } });
      await db.actionRole.createMany({ data: roles });
    }
  });

  it.each([
    ['a co-leader of A1', 'demo-flanders'],
    ['a coordinator', 'demo-amsterdam'],
    ['the secretariat', 'demo-secretariat'],
  ])('lets %s move an A1 milestone, without a refusal', async (_who, key) => {
    const person = await f.db.prisma.person.findFirstOrThrow({ where: { key, partnership: { slug: 'inclusion-of-migrants' } } });
    const refusals = await f.db.prisma.auditEntry.count({ where: { verb: 'refused' } });
    const { reply, out } = await runAs(bot, { platform: 'shell', workspaceId: 'local', userId: key, displayName: key, text: 'milestone move A1.2 2026-02', trustedPersonId: person.id });
    expect(reply.error, out).toBeFalsy();
    expect(await f.db.prisma.auditEntry.count({ where: { verb: 'refused' } })).toBe(refusals);
  });
});

describe('who may run a command, as help says it', () => {
  it('names each kind of permission in words, and prefers what a command says of itself', () => {
    expect(whoMay({ permission: 'anyone' })).toBe('anyone, linked or not');
    expect(whoMay({ permission: 'member' })).toBe('any linked member of the partnership');
    expect(whoMay({ permission: 'secretariat' })).toBe('the secretariat or the coordinators');
    expect(whoMay({ permission: { actionLead: () => 'A1' } })).toBe('the co-leaders of the Action it concerns, the secretariat or the coordinators');
    expect(whoMay({ permission: 'member', who: 'whoever proposed it, or the secretariat' })).toBe('whoever proposed it, or the secretariat');
  });
});
