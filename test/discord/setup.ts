// The data behind the Discord tests: an in-memory database with the shipped work plan, the real
// commands plus test-only ones (huge, echo, slow), a Discord user linked to a secretariat member, an
// unlinked one, and a Discord channel bound to Action 1.
import { z } from 'zod';
import { allCommands } from '../../commands/index.ts';
import { topics } from '../../commands/topics.ts';
import { Bot } from '../../src/core/bot.ts';
import { ManualClock, parseInstant } from '../../src/core/clock.ts';
import { defineCommand, type CommandDef } from '../../src/core/command.ts';
import { CommandRegistry } from '../../src/core/registry.ts';
import { buttons, fields, list, mention, reply, text } from '../../src/core/reply.ts';
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { SHIPPED_WORKPLAN } from '../../src/config.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { loadWorkPlan } from '../../src/workplan/load.ts';
import { createDiscordBot, type DiscordBot } from '../../adapters/discord/client.ts';
import { ACTION1_CHANNEL_ID, APP_ID, FakeDiscord, GUILD_ID, type DiscordUser, type Recorded } from './fake-discord.ts';

export const LAURA: DiscordUser = { id: '1500000000000000001', username: 'laura.meijer', global_name: 'Laura' };
export const STRANGER: DiscordUser = { id: '1500000000000000002', username: 'stranger', global_name: null };
export const SLOW_MS = 2100;
// Generous, so the other tests stay on the direct-answer path even on a loaded machine.
export const ACK_AFTER_MS = 1500;
export const HUGE_ITEMS = 300;

const huge = defineCommand({
  name: 'test huge',
  summary: 'A reply far beyond one Discord message',
  examples: ['test huge'],
  args: z.object({}),
  permission: 'anyone',
  async handler() {
    const items = Array.from({ length: HUGE_ITEMS }, (_, i) => `item-${i} ${'a long line about an activity and its outputs '.repeat(4)}`);
    return reply(`A very long title ${'x'.repeat(400)}`, [
      text('y'.repeat(5000)),
      list(items, 'Everything'),
      fields(Array.from({ length: 40 }, (_, i): [string, string] => [`Field ${i} ${'n'.repeat(300)}`, `value-${i} ${'v'.repeat(1500)}`])),
      buttons(...Array.from({ length: 30 }, (_, i) => ({ label: `Button ${i} ${'l'.repeat(100)}`, command: `help due ${i}` }))),
    ]);
  },
});

const echo = defineCommand({
  name: 'test echo',
  summary: 'Repeats untrusted text everywhere a reply can hold it, and announces it to Action 1',
  examples: ['test echo hello'],
  args: z.object({ words: z.string().describe('Anything') }),
  positional: ['words'],
  restPositional: true,
  permission: 'anyone',
  async handler(_ctx, { words }) {
    const body = [
      text(words, ' — asked by ', mention('Laura Meijer', { discord: LAURA.id })),
      fields([[words, words]]),
      list([words], words),
    ];
    return reply(words, body, { announce: [{ scope: 'action', actionNumber: 1, message: reply(words, body) }] });
  },
});

const slow = defineCommand({
  name: 'test slow',
  summary: 'Answers after longer than the adapter waits before deferring',
  examples: ['test slow', 'test slow --private'],
  args: z.object({ private: z.boolean().optional().describe('Answer only to the asker') }),
  permission: 'anyone',
  async handler(_ctx, args) {
    await new Promise((r) => setTimeout(r, SLOW_MS));
    return reply('Slow answer', [text('done, slowly')], { ephemeral: args.private === true });
  },
});

export const testRegistry = new CommandRegistry([...allCommands, huge, echo, slow] as unknown as CommandDef[], topics);

export interface DiscordFixture {
  database: Database;
  bot: Bot;
  partnershipId: string;
}

export async function discordFixture(): Promise<DiscordFixture> {
  const database = await openDatabase({ memory: true });
  const db = database.prisma;
  const { partnershipId } = await importWorkPlan(db, await loadWorkPlan(SHIPPED_WORKPLAN));
  const laura = await db.person.findFirstOrThrow({ where: { partnershipId, key: 'demo-secretariat' } });
  await db.chatIdentity.create({ data: { personId: laura.id, platform: 'discord', workspaceId: GUILD_ID, externalId: LAURA.id, displayName: 'Laura' } });
  const a1 = await db.action.findFirstOrThrow({ where: { partnershipId, number: 1 } });
  await db.channelBinding.create({
    data: { partnershipId, platform: 'discord', workspaceId: GUILD_ID, channelId: ACTION1_CHANNEL_ID, scope: 'action', actionId: a1.id },
  });
  const clock = new ManualClock(parseInstant('2025-11-20', 'Europe/Brussels'));
  return { database, bot: new Bot({ db, clock, registry: testRegistry }), partnershipId };
}

export interface ConnectedDiscord {
  fake: FakeDiscord;
  fixture: DiscordFixture;
  discord: DiscordBot;
  /** Dispatches an interaction over the gateway; resolves with the bot's callback to it. */
  interact(payload: { id: string; token: string }): Promise<Recorded>;
  stop(): Promise<void>;
}

/** The stand-in Discord started, and the fixture's bot logged in to it over the gateway. */
export async function connectedDiscord(): Promise<ConnectedDiscord> {
  const fake = new FakeDiscord();
  await fake.start();
  const fixture = await discordFixture();
  const discord = createDiscordBot({ bot: fixture.bot, token: 'fake-token', applicationId: APP_ID, rest: { api: fake.api }, ackAfterMs: ACK_AFTER_MS });
  await discord.start();
  return {
    fake,
    fixture,
    discord,
    interact(payload) {
      fake.dispatch('INTERACTION_CREATE', payload);
      return fake.waitFor((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    },
    async stop() {
      await discord.stop();
      await fake.stop();
      await fixture.database.close();
    },
  };
}
