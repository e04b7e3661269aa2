// The real data set behind the Slack tests: an in-memory database with the shipped work plan, the
// real commands plus two test-only ones (a slow one and a huge one), a linked secretariat member and
// a Slack channel bound to Action 1.
import { z } from 'zod';
import { allCommands } from '../../commands/index.ts';
import { Bot, type Logger } from '../../src/core/bot.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { defineCommand, type CommandDef } from '../../src/core/command.ts';
import { CommandRegistry } from '../../src/core/registry.ts';
import { list, reply, text } from '../../src/core/reply.ts';
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { loadWorkPlan } from '../../src/workplan/load.ts';

export const TEAM = 'T1';
export const LINKED_USER = 'ULAURA';
export const UNLINKED_USER = 'UNOBODY';
export const ACTION1_CHANNEL = 'CACTION1';
export const SLOW_MS = 3500;
export const BUSY_MS = 1500;

const slow = defineCommand({
  name: 'test slow',
  summary: 'Answers after longer than Slack waits for an ack',
  examples: ['test slow'],
  args: z.object({}),
  permission: 'anyone',
  async handler() {
    await new Promise((r) => setTimeout(r, SLOW_MS));
    return reply('Slow answer', [text('done, slowly')]);
  },
});

/** Keeps the thread busy, as a heavy query on the embedded database does: nothing else runs meanwhile. */
const busy = defineCommand({
  name: 'test busy',
  summary: 'Computes without yielding for a while',
  examples: ['test busy'],
  args: z.object({}),
  permission: 'anyone',
  async handler() {
    const until = performance.now() + BUSY_MS;
    while (performance.now() < until);
    return reply('Busy answer', [text('done, busily')]);
  },
});

const big = defineCommand({
  name: 'test big',
  summary: 'A 200-item list, far beyond one Slack message',
  examples: ['test big'],
  args: z.object({}),
  permission: 'anyone',
  async handler() {
    const items = Array.from({ length: 200 }, (_, i) => `item-${i} ${'a long line of text about an activity '.repeat(20)}`);
    return reply('A very long answer', [list(items, 'All items'), text('x'.repeat(7000))]);
  },
});

export interface Fixture {
  database: Database;
  bot: Bot;
  log: { level: string; msg: string; data?: Record<string, unknown> }[];
  logger: Logger;
}

/** On `database` when given (e.g. a test database on a PostgreSQL server), else a fresh in-memory one. */
export async function setUp(given?: Database): Promise<Fixture> {
  const database = given ?? (await openDatabase({ memory: true }));
  const db = database.prisma;
  const { partnershipId } = await importWorkPlan(db, await loadWorkPlan('workplans/inclusion-of-migrants-2024-2027.yaml'));
  const laura = await db.person.findFirstOrThrow({ where: { partnershipId, key: 'demo-secretariat' } });
  await db.chatIdentity.create({ data: { personId: laura.id, platform: 'slack', workspaceId: TEAM, externalId: LINKED_USER } });
  const action1 = await db.action.findFirstOrThrow({ where: { partnershipId, number: 1 } });
  await db.channelBinding.create({
    data: { partnershipId, platform: 'slack', workspaceId: TEAM, channelId: ACTION1_CHANNEL, scope: 'action', actionId: action1.id },
  });
  const log: Fixture['log'] = [];
  const record = (level: string) => (msg: string, data?: Record<string, unknown>) => void log.push({ level, msg, ...(data ? { data } : {}) });
  const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const registry = new CommandRegistry([...allCommands, slow, busy, big] as unknown as CommandDef[]);
  const bot = new Bot({ db, clock: fixedClock(new Date('2026-01-15T10:00:00Z')), registry, logger });
  return { database, bot, log, logger };
}
