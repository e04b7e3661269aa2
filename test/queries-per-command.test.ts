// Each command reads the partnership, the caller's identity and roles once per request, not once per
// step that needs them: the number of database queries a typical command makes has an upper bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.ts';
import { silentLogger, type Bot, type Invocation } from '../src/core/bot.ts';
import { converse } from '../src/delivery/conversation.ts';
import type { Db } from '../src/persistence/database.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
let bot: Bot;
const queries: string[] = [];

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  const counted = f.db.prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        // A stored read (migration 20261129050000_stored_reads) is named by its function.
        const stored = /\bpartnerbot_(\w+)\(/.exec(String((args as unknown[] | undefined)?.[0] ?? ''))?.[1];
        queries.push(model ? `${model}.${operation}` : stored ? `stored ${stored}` : operation);
        return query(args);
      },
    },
  });
  bot = createBot({ db: counted as unknown as Db, clock: f.clock });
  const secretariat = await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-secretariat' } });
  // A Slack user linked to the secretariat person: identity comes from the chat account, as in production.
  await f.db.prisma.chatIdentity.create({ data: { personId: secretariat.id, platform: 'slack', workspaceId: 'T1', externalId: 'U1', displayName: 'Alex' } });
});
afterAll(async () => {
  await f?.db.drop();
});

const asker = (text: string): Invocation => ({ platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'Alex', channelId: 'C1', text, deliveryId: `d-${queries.length}-${text}` });

/** The queries of one command as an adapter runs it: Bot.handle, the answer, the announcements. */
async function queriesFor(text: string): Promise<string[]> {
  queries.length = 0;
  let shown = false;
  await converse(bot, asker(text), { show: async (reply) => void (shown = !reply.error) }, { platform: 'slack', logger: silentLogger, post: async () => {}, skip: () => false });
  expect(shown).toBe(true);
  return [...queries];
}

/** What every command needs before it runs: where and who is asking, and their roles, in one statement. */
const WHO_ASKS = 'stored asker';
/** What that statement replaces: none of these may come back beside it. */
const LOOKUPS = ['ChannelBinding.findUnique', 'WorkspaceBinding.findUnique', 'Partnership.findMany', 'Partnership.findUnique', 'ChatIdentity.findUnique', 'PartnershipRole.findMany', 'ActionRole.findMany'];

describe('queries per command', () => {
  it.each([
    ['actions', 3],
    ['due', 3],
    ['me', 4],
    // A change announced to the Action's channels: the announcement finds the partnership already read.
    ['status A1 "On track"', 6],
  ])('%s: at most %i queries, reading where and who is asking once', async (command, most) => {
    const made = await queriesFor(command);
    expect(made.length, made.join(' ')).toBeLessThanOrEqual(most);
    expect(made.filter((q) => q === WHO_ASKS), made.join(' ')).toHaveLength(1);
    for (const lookup of LOOKUPS) expect(made, made.join(' ')).not.toContain(lookup);
  });
});
