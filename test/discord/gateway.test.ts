// The adapter against a local Discord: a real discord.js client logs in over the gateway, receives
// INTERACTION_CREATE dispatches, and answers through the REST routes Discord documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordBot } from '../../adapters/discord/client.ts';
import { buildCommands } from '../../adapters/discord/commands.ts';
import { registerWithDiscord } from '../../adapters/discord/register.ts';
import { loadConfig } from '../../src/config.ts';
import { reply, text } from '../../src/core/reply.ts';
import {
  ACTION1_CHANNEL_ID,
  APP_ID,
  autocomplete,
  buttonClick,
  CHANNEL_ID,
  chatInput,
  FakeDiscord,
  GUILD_ID,
  modalSubmit,
  sentMessage,
} from './fake-discord.ts';
import { expectWithinLimits, visibleText } from './limits.ts';
import { ACK_AFTER_MS, connectedDiscord, HUGE_ITEMS, LAURA, SLOW_MS, STRANGER, testRegistry, type ConnectedDiscord, type DiscordFixture } from './setup.ts';

const CALLBACK = { message: 4, deferred: 5, update: 7, autocomplete: 8, modal: 9 } as const;
const EPHEMERAL = 64;

let connected: ConnectedDiscord;
let fake: FakeDiscord;
let fixture: DiscordFixture;
let discord: DiscordBot;
let interact: ConnectedDiscord['interact'];

beforeAll(async () => {
  connected = await connectedDiscord();
  ({ fake, fixture, discord, interact } = connected);
});

afterAll(async () => {
  await connected?.stop();
});

type Interaction = { id: string; token: string };

const webhookRequests = (i: Interaction) => fake.requests.filter((r) => r.path.startsWith(`/webhooks/${APP_ID}/${i.token}`));

async function activity(code: string) {
  return fixture.database.prisma.activity.findFirstOrThrow({ where: { code, action: { partnershipId: fixture.partnershipId } } });
}

describe('Discord adapter over a local gateway and REST API', () => {
  it('logs in with the Guilds intent only', () => {
    const identify = fake.gatewayPayloads.find((p) => p.op === 2)!;
    expect(identify.d.token).toBe('fake-token');
    expect(identify.d.intents).toBe(1);
    expect(discord.client.isReady()).toBe(true);
  });

  it('answers /partner help through the interaction callback, privately', async () => {
    const callback = await interact(chatInput(LAURA, ['partner', 'help']));
    expect(callback.body.type).toBe(CALLBACK.message);
    expect(callback.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [], users: [] });
    expect(visibleText(callback.body.data)).toContain('milestone');
    expectWithinLimits(callback.body.data);
  });

  it('runs a grouped command with typed options and shows its buttons', async () => {
    const callback = await interact(chatInput(LAURA, ['plan', 'milestone', 'show'], [{ type: 3, name: 'id', value: 'A1.2' }]));
    expect(callback.body.type).toBe(CALLBACK.message);
    expect(callback.body.data.flags ?? 0).toBe(0);
    const ids = callback.body.data.components.flatMap((row: any) => row.components.map((b: any) => b.custom_id));
    expect(ids).toContain('pb:milestone done A1.2');
    expect(ids.some((id: string) => id.startsWith('pbi:') && id.endsWith(';milestone move A1.2'))).toBe(true);
  });

  it('suggests activity ids while typing', async () => {
    const callback = await interact(autocomplete(LAURA, ['plan', 'milestone', 'done'], [{ type: 3, name: 'id', value: 'A2.', focused: true }]));
    expect(callback.body.type).toBe(CALLBACK.autocomplete);
    const choices = callback.body.data.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.value).toMatch(/^A2\.\d/);
      expect(c.name.length).toBeLessThanOrEqual(100);
    }
  });

  it('suggests people by name, answering with their exact key', async () => {
    const callback = await interact(autocomplete(LAURA, ['partner', 'invite'], [{ type: 3, name: 'person', value: 'meijer', focused: true }]));
    expect(callback.body.data.choices).toEqual([{ name: 'demo-secretariat — Laura Meijer (Partnership Secretariat)', value: 'demo-secretariat' }]);
  });

  it('a button click changes the database, updates the message and announces to the bound channel', async () => {
    expect((await activity('A1.2')).status).not.toBe('done');
    const shown = sentMessage((await interact(chatInput(LAURA, ['plan', 'milestone', 'show'], [{ type: 3, name: 'id', value: 'A1.2' }]))).body.data);
    const callback = await interact(buttonClick(LAURA, 'pb:milestone done A1.2', shown));
    expect(callback.body.type).toBe(CALLBACK.update);
    expect(visibleText(callback.body.data)).toMatch(/A1\.2/);
    expect((await activity('A1.2')).status).toBe('done');
    const announcement = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ACTION1_CHANNEL_ID}/messages`);
    expect(visibleText(announcement.body)).toContain('A1.2');
    expect(announcement.body.flags).toBeUndefined();
  });

  it('a click by an unlinked user is refused privately and changes nothing', async () => {
    const before = await activity('A1.3');
    const shown = sentMessage({ embeds: [], components: [] });
    const callback = await interact(buttonClick(STRANGER, 'pb:milestone done A1.3', shown));
    expect(callback.body.type).toBe(CALLBACK.message);
    expect(callback.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(visibleText(callback.body.data)).toMatch(/not linked/);
    expect((await activity('A1.3')).status).toBe(before.status);
  });

  it('a button with inputs opens a modal whose submission runs the command with the values', async () => {
    const shown = sentMessage((await interact(chatInput(LAURA, ['plan', 'milestone', 'show'], [{ type: 3, name: 'id', value: 'A1.4' }]))).body.data);
    const move = shown.components.flatMap((row: any) => row.components).find((b: any) => b.custom_id.startsWith('pbi:'));
    const opened = await interact(buttonClick(LAURA, move.custom_id, shown));
    expect(opened.body.type).toBe(CALLBACK.modal);
    const modal = opened.body.data;
    expect(modal.custom_id).toBe(`pbm:${move.custom_id.slice(4)}`);
    expect(modal.title.length).toBeLessThanOrEqual(45);
    const date = modal.components.find((c: any) => c.component.custom_id === 'when');
    expect(date.component.placeholder).toBe('YYYY-MM-DD');
    const submitted = await interact(modalSubmit(LAURA, modal.custom_id, { when: '2026-03', tentative: 'yes' }, shown));
    expect(submitted.body.type).toBe(CALLBACK.update);
    const moved = await activity('A1.4');
    expect(moved.whenText).toMatch(/2026-03/);
    expect(moved.whenTentative).toBe(true);
  });

  it('splits a huge reply into several messages, each within Discord limits, losing nothing', async () => {
    const i = chatInput(LAURA, ['partner', 'test', 'huge']);
    const callback = await interact(i);
    const last = await fake.waitFor((r) => r.path === `/webhooks/${APP_ID}/${i.token}` && JSON.stringify(r.body).includes('help due 29'));
    const messages = [callback.body.data, ...webhookRequests(i).filter((r) => r.at <= last.at).map((r) => r.body)];
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expectWithinLimits(m);
    const all = messages.map(visibleText).join('\n');
    for (let n = 0; n < HUGE_ITEMS; n++) expect(all).toContain(`item-${n} `);
    for (let n = 0; n < 40; n++) expect(all).toContain(`value-${n} `);
    const buttons = messages.flatMap((m) => m.components ?? []).flatMap((row: any) => row.components);
    expect(buttons).toHaveLength(30);
  });

  it('never lets typed text ping or format, in the answer or the announcement', async () => {
    const evil = '@everyone @here <@&1200000000000000001> <@1500000000000000002> **bold** [x](https://evil.example) # Title';
    const callback = await interact(chatInput(STRANGER, ['partner', 'test', 'echo'], [{ type: 3, name: 'words', value: evil }]));
    const announcement = await fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${ACTION1_CHANNEL_ID}/messages` && visibleText(r.body).includes('evil'),
    );
    for (const body of [callback.body.data, announcement.body]) {
      expect(body.allowed_mentions.parse).toEqual([]);
      expect(body.allowed_mentions.users).toEqual([LAURA.id]);
      const shown = visibleText(body);
      expect(shown).not.toMatch(/@everyone|@here/);
      expect(shown).not.toMatch(/(^|[^\\])<@&1200/);
      expect(shown).not.toMatch(/(^|[^\\])<@1500000000000000002/);
      expect(shown).not.toMatch(/(^|[^\\])\*\*bold/);
      expect(shown).not.toMatch(/(^|[^\\])\[x\]/);
      expect(shown).toContain(`<@${LAURA.id}>`);
    }
    // Answers do not notify; a posted announcement does, and only the deliberately mentioned user.
    expect(callback.body.data.content).toBeUndefined();
    expect(announcement.body.content).toBe(`<@${LAURA.id}>`);
  });

  it('defers a slow command, then edits the original response', async () => {
    const i = chatInput(LAURA, ['partner', 'test', 'slow']);
    const callback = await interact(i);
    expect(callback.body.type).toBe(CALLBACK.deferred);
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(edit.at - callback.at).toBeGreaterThanOrEqual(SLOW_MS - ACK_AFTER_MS - 100);
    expect(visibleText(edit.body)).toContain('done, slowly');
  });

  it('a slow answer that turns out private replaces the public placeholder with an ephemeral follow-up', async () => {
    const i = chatInput(LAURA, ['partner', 'test', 'slow'], [{ type: 5, name: 'private', value: true }]);
    const callback = await interact(i);
    expect(callback.body.type).toBe(CALLBACK.deferred);
    const followUp = await fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${i.token}`);
    expect(followUp.body.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(webhookRequests(i).some((r) => r.method === 'DELETE')).toBe(true);
  });

  it('waits out a 429 on a channel message and then delivers it exactly once', async () => {
    fake.rateLimitNext.add(CHANNEL_ID);
    const started = Date.now();
    const ids = await discord.postMessage(CHANNEL_ID, reply('Reminder', [text('A1.3 is due on Friday')]));
    const attempts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && r.at >= started);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(ids).toHaveLength(1);
  });

  it('falls back to a channel when a user does not accept direct messages', async () => {
    fake.dmsClosed.add(STRANGER.id);
    const result = await discord.sendDm(STRANGER.id, reply('Your deadlines', [text('A1.3 is due on Friday')]), CHANNEL_ID);
    expect(result).toMatchObject({ delivered: 'channel', channelId: CHANNEL_ID });
    const posted = await fake.waitFor((r) => r.path === `/channels/${CHANNEL_ID}/messages` && visibleText(r.body).includes('Your deadlines'));
    expect(posted.body.allowed_mentions).toEqual({ parse: [], users: [STRANGER.id] });
    expect(posted.body.content).toBe(`<@${STRANGER.id}>`);
    expect(await discord.sendDm(STRANGER.id, reply('Again', [text('x')]))).toMatchObject({ delivered: 'none' });
    expect(await discord.sendDm(LAURA.id, reply('Hello', [text('x')]))).toMatchObject({ delivered: 'dm' });
  });

  it('runs an interaction delivered twice once: one answer, one announcement', async () => {
    const words = 'delivered twice';
    const interaction = chatInput(LAURA, ['partner', 'test', 'echo'], [{ type: 3, name: 'words', value: words }]);
    fake.dispatch('INTERACTION_CREATE', interaction);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const callbacks = () => fake.requests.filter((r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`);
    const announcements = () => fake.requests.filter((r) => r.path === `/channels/${ACTION1_CHANNEL_ID}/messages` && visibleText(r.body).includes(words));
    await fake.waitFor((r) => r.path === `/channels/${ACTION1_CHANNEL_ID}/messages` && visibleText(r.body).includes(words));
    // The second copy is handled as soon as the first: a little longer than that is long enough to see it.
    await new Promise((r) => setTimeout(r, 300));
    expect(callbacks()).toHaveLength(1);
    expect(announcements()).toHaveLength(1);
  });

  it('registration bulk-overwrites the full command tree in the guild', async () => {
    const line = await registerWithDiscord(loadConfig({ DISCORD_TOKEN: 'fake-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_API_URL: fake.api }), {
      guildId: GUILD_ID,
      registry: testRegistry,
    });
    expect(line).toContain(GUILD_ID);
    const put = fake.requests.filter((r) => r.method === 'PUT' && r.path === `/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toEqual(buildCommands(testRegistry));
    const subcommands = put[0]!.body.flatMap((c: any) => c.options.flatMap((o: any) => (o.type === 2 ? o.options : [o])));
    expect(subcommands.length).toBe(testRegistry.commands.length);
    await expect(registerWithDiscord(loadConfig({}))).rejects.toThrow(/DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  });
});
