// The scheduler delivering through the real Slack adapter (Bolt's WebClient) to a local Slack API:
// a DM to a linked co-leader, a post to the bound Action channel, a 429 honoured, nothing doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../adapters/slack/index.ts';
import { slackTransport } from '../../adapters/slack/transport.ts';
import { Bot } from '../../src/core/bot.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { Dispatcher } from '../../src/scheduler/dispatcher.ts';
import { planAll } from '../../src/scheduler/scheduler.ts';
import { LogTransport } from '../../src/delivery/transport.ts';
import { FakeSlack } from './fake-slack.ts';
import { ACTION1_CHANNEL, setUp, TEAM, type Fixture } from './setup.ts';

let fx: Fixture;
let fake: FakeSlack;
let slack: SlackApp;

beforeAll(async () => {
  fx = await setUp();
  fake = new FakeSlack();
  await fake.start();
  slack = createSlackApp({
    bot: fx.bot,
    signingSecret: 'secret',
    botToken: 'xoxb-test',
    port: 0,
    slackApiUrl: fake.apiUrl,
    logger: fx.logger,
    retryConfig: { retries: 2, factor: 1, minTimeout: 50, maxTimeout: 100, randomize: false },
  });
  await slack.start();
}, 30_000);

afterAll(async () => {
  await slack?.stop();
  await fake?.stop();
  await fx?.database.close();
});

describe('scheduler → Slack', () => {
  it('delivers nudges by DM and to the Action channel, honouring a 429, exactly once', async () => {
    const db = fx.database.prisma;
    // Tuesday 25 Nov 2025 09:00: A1.2 (Oct–Dec 2025) is not due yet; move it so it falls due in 7 days.
    const clock = new ManualClock(new Date('2025-11-25T08:00:00Z'));
    const bot = new Bot({ ...fx.bot.deps, clock });
    const a12 = await db.activity.findFirstOrThrow({ where: { code: 'A1.2' } });
    await db.activity.update({ where: { id: a12.id }, data: { whenKind: 'day', whenStart: new Date('2025-12-02'), whenEnd: new Date('2025-12-02'), whenText: '2025-12-02' } });
    const ashoka = await db.person.findFirstOrThrow({ where: { key: 'demo-ashoka-hello-europe' } });
    await db.chatIdentity.create({ data: { personId: ashoka.id, platform: 'slack', workspaceId: TEAM, externalId: 'UASHOKA' } });

    const { planned } = await planAll(bot);
    const nudges = planned.filter((p) => p.kind === 'nudge' && p.payload.title === 'A1.2 is due in 7 days');
    expect(nudges.length).toBeGreaterThanOrEqual(2);

    // The first post is answered 429 (and sent again): whichever message it is, it is not a delivery.
    const refused = fake.callsOf('chat.postMessage').length;
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const dispatcher = new Dispatcher({ db, clock, transports: [slackTransport(slack)], log: new LogTransport(() => {}), workerId: 'slack-test' });
    const deliveries = await dispatcher.dispatchDue();
    const a12Deliveries = deliveries.filter((d) => nudges.some((n) => n.key === d.key));
    expect(a12Deliveries.every((d) => d.outcome === 'sent')).toBe(true);
    expect(a12Deliveries.find((d) => d.to === ashoka.name)!.via).toBe('slack:dm');
    expect(a12Deliveries.some((d) => d.via === 'slack:channel')).toBe(true);

    const posts = fake.callsOf('chat.postMessage').filter((c, i) => i !== refused && JSON.stringify(c.args).includes('A1.2 is due in 7 days'));
    const dm = posts.filter((c) => c.args['channel'] === 'DASHOKA');
    expect(dm).toHaveLength(1);
    // The DM mentions the co-leader by their Slack id and carries the nudge buttons.
    expect(JSON.stringify(dm[0]!.args)).toContain('<@UASHOKA>');
    expect(JSON.stringify(dm[0]!.args)).toContain('Snooze 3 days');
    expect(posts.filter((c) => c.args['channel'] === ACTION1_CHANNEL).length).toBe(nudges.length - 1);
    // Nothing is sent again.
    const before = fake.callsOf('chat.postMessage').length;
    await planAll(bot);
    await dispatcher.dispatchDue();
    expect(fake.callsOf('chat.postMessage').length).toBe(before);
  }, 30_000);
});
