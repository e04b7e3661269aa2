// The Slack adapter end to end: signed requests into the real Bolt HTTP receiver and Socket Mode
// envelopes over a local WebSocket, the Web API and response_urls served by a local stand-in, the real
// commands over the shipped work plan.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../adapters/slack/app.ts';
import { slackTransport } from '../../adapters/slack/transport.ts';
import { Dispatcher } from '../../src/scheduler/dispatcher.ts';
import { LogTransport } from '../../src/delivery/transport.ts';
import { Bot } from '../../src/core/bot.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { reply, text } from '../../src/core/reply.ts';
import { FakeSlack, postSigned, sign, slashBody, waitFor } from './fake-slack.ts';
import { expectWithinLimits, shownText } from './limits.ts';
import { clickRequest, slashRequest, submitRequest } from './requests.ts';
import { ACTION1_CHANNEL, BUSY_MS, LINKED_USER, setUp, SLOW_MS, TEAM, UNLINKED_USER, type Fixture } from './setup.ts';

const execFileAsync = promisify(execFile);
const SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test-token-123';

let fx: Fixture;
let slack: SlackApp;
const fake = new FakeSlack();
let eventsUrl = '';
let seq = 0;

beforeAll(async () => {
  await fake.start();
  fx = await setUp();
  slack = createSlackApp({
    bot: fx.bot,
    signingSecret: SECRET,
    botToken: BOT_TOKEN,
    port: 0,
    slackApiUrl: fake.apiUrl,
    logger: fx.logger,
    retryConfig: { retries: 2, factor: 1, minTimeout: 50, maxTimeout: 100, randomize: false },
  });
  const { port } = await slack.start();
  eventsUrl = `http://127.0.0.1:${port}/slack/events`;
}, 30_000);

afterAll(async () => {
  await slack?.stop();
  await fx?.database.close();
  await fake.stop();
});

beforeEach(() => fake.reset());

/** Types `/partner <text>` as `user` in `channel`; gives the HTTP answer and the response_url id. */
async function slash(commandText: string, user = LINKED_USER, channel = 'CGENERAL') {
  const id = `r${++seq}`;
  const res = await postSigned(eventsUrl, SECRET, slashRequest(fake, id, commandText, { user, channel }), 'application/x-www-form-urlencoded');
  return { res, id };
}

const answers = (id: string, count = 1) => waitFor(() => fake.responsesTo(id).length >= count && fake.responsesTo(id));

type Json = Record<string, unknown>;

function buttonsOf(message: Json): Json[] {
  return ((message['blocks'] ?? []) as Json[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Json[]);
}

/** Clicks `button` in `message` (answered earlier at response_url `from`) as `user`. */
async function click(button: Json, user: string, isEphemeral = false) {
  const id = `r${++seq}`;
  const res = await postSigned(eventsUrl, SECRET, clickRequest(fake, id, button, { user, isEphemeral }), 'application/x-www-form-urlencoded');
  return { res, id };
}

async function activity(code: string) {
  return fx.database.prisma.activity.findFirstOrThrow({ where: { code, action: { number: Number(code.slice(1).split('.')[0]) } } });
}

describe('/partner over HTTP', () => {
  it('acks at once and answers at the response_url with blocks', async () => {
    const { res, id } = await slash('actions');
    expect(res.status).toBe(200);
    const [answer] = await answers(id);
    expect(answer!.body['response_type']).toBe('in_channel');
    expect(shownText(answer!.body)).toContain('A1 Labour');
    expectWithinLimits(answer!.body);
  });

  it('acks within 3 seconds even when the command takes longer', async () => {
    const started = Date.now();
    const { res, id } = await slash('test slow');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    const [answer] = await answers(id);
    expect(answer!.at - started).toBeGreaterThanOrEqual(SLOW_MS - 50);
    expect(shownText(answer!.body)).toContain('done, slowly');
  }, 10_000);

  it('has the ack on the wire before a command that keeps the thread busy starts', async () => {
    // The asker's profile is then cached, so nothing between the ack and the command waits on I/O.
    await answers((await slash('help')).id);
    const id = `r${++seq}`;
    const body = slashRequest(fake, id, 'test busy');
    const timestamp = Math.floor(Date.now() / 1000);
    // A client in this process could only read the ack once the thread is free again; curl times it from outside.
    const curl = execFileAsync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-H', 'content-type: application/x-www-form-urlencoded', '-H', `x-slack-request-timestamp: ${timestamp}`, '-H', `x-slack-signature: ${sign(SECRET, timestamp, body)}`, '--data-binary', body, eventsUrl]);
    const [status, seconds] = (await curl).stdout.split(' ');
    expect(status).toBe('200');
    expect(Number(seconds) * 1000).toBeLessThan(BUSY_MS / 2);
    const [answer] = await answers(id);
    expect(shownText(answer!.body)).toContain('done, busily');
  }, 10_000);

  it('sends ephemeral answers as ephemeral', async () => {
    const { id } = await slash('help');
    const [answer] = await answers(id);
    expect(answer!.body['response_type']).toBe('ephemeral');
  });

  it('splits a huge reply over several messages, each within Slack limits, none lost', async () => {
    const { id } = await slash('test big');
    await waitFor(() => fake.responsesTo(id).length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    const all = fake.responsesTo(id);
    for (const r of all) expectWithinLimits(r.body);
    const shown = all.map((r) => shownText(r.body)).join('\n');
    for (let i = 0; i < 200; i++) expect(shown).toContain(`item-${i} `);
  });

  it('neutralises mentions and links typed into an agenda item', async () => {
    const hostile = '<!channel> @everyone <!here> <@U123> <https://evil.example|win> & more';
    const added = await slash(`agenda add ${hostile}`);
    const [answer] = await answers(added.id);
    const json = JSON.stringify(answer!.body);
    expect(shownText(answer!.body)).toContain('&lt;!channel&gt; @everyone &lt;!here&gt; &lt;@U123&gt;');
    for (const bad of ['<!channel>', '<!here>', '<@U123>', '<https://evil']) expect(json).not.toContain(bad);
    const shown = await slash('agenda show', UNLINKED_USER);
    const [listing] = await answers(shown.id);
    expect(shownText(listing!.body)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(listing!.body)).not.toContain('<!channel>');
  });
});

describe('announcements', () => {
  it('keeps an announcement Slack refused as a failed outbox row for the secretariat', async () => {
    const db = fx.database.prisma;
    fake.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
    const { id } = await slash('milestone status A1.3 in_progress');
    await answers(id);
    const row = await waitFor(async () => (await db.outboxMessage.findFirst({ where: { kind: 'announcement' } })) ?? undefined);
    expect(row).toMatchObject({ status: 'failed', scope: 'action', actionNumber: 1 });
    expect(row!.lastError).toBe(`slack channel ${ACTION1_CHANNEL}: An API error occurred: not_in_channel`);
    const { id: listed } = await slash('notify outbox --failed');
    expect(JSON.stringify(await answers(listed))).toContain('not_in_channel');
  });

  it('sends a refused announcement again to the channel that refused it, not to those that have it', async () => {
    const db = fx.database.prisma;
    await db.outboxMessage.deleteMany();
    const a1 = await db.action.findFirstOrThrow({ where: { number: 1 } });
    await db.channelBinding.create({ data: { partnershipId: a1.partnershipId, platform: 'slack', workspaceId: TEAM, channelId: 'CACTION1B', scope: 'action', actionId: a1.id } });
    try {
      fake.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
      const { id } = await slash('milestone status A1.4 in_progress');
      await answers(id);
      await waitFor(async () => (await db.outboxMessage.count({ where: { kind: 'announcement', status: 'failed' } })) === 1);
      await waitFor(() => fake.callsOf('chat.postMessage').some((c) => c.args['channel'] === 'CACTION1B'));
      const announced = (channel: string) => fake.callsOf('chat.postMessage').filter((c) => c.args['channel'] === channel && JSON.stringify(c.args).includes('A1.4'));
      expect(announced('CACTION1B')).toHaveLength(1);

      const { id: retried } = await slash('notify outbox --retry');
      expect(JSON.stringify(await answers(retried))).toContain('1 failed notification will be sent again');
      const dispatcher = new Dispatcher({ db, clock: fx.bot.deps.clock, transports: [slackTransport(slack)], log: new LogTransport(() => {}), workerId: 'retry-test' });
      const [delivery] = await dispatcher.dispatchDue();
      expect(delivery).toMatchObject({ kind: 'announcement', outcome: 'sent', to: `slack channel ${ACTION1_CHANNEL}` });
      expect(announced(ACTION1_CHANNEL)).toHaveLength(2); // the refused post and the one that went through
      expect(announced('CACTION1B')).toHaveLength(1);
    } finally {
      await db.channelBinding.deleteMany({ where: { channelId: 'CACTION1B' } });
    }
  });
});

describe('attachments', () => {
  it('uploads a Gantt chart into the channel through the external upload flow', async () => {
    const { id } = await slash('gantt A1', LINKED_USER, 'CGENERAL');
    await answers(id);
    await waitFor(() => fake.callsOf('files.completeUploadExternal').length > 0);
    expect(fake.callsOf('files.getUploadURLExternal')[0]!.args['filename']).toBe('gantt-A1.png');
    expect(fake.uploads[0]!.bytes).toBeGreaterThan(10_000);
    expect(fake.callsOf('files.completeUploadExternal')[0]!.args['channel_id']).toBe('CGENERAL');
  });
});

describe('identity', () => {
  it('links an unlinked user automatically when Slack reveals a matching e-mail address', async () => {
    const db = fx.database.prisma;
    const person = await db.person.findFirstOrThrow({ where: { key: 'demo-flanders' } });
    fake.emails.set('UFLANDERS', person.email!.toUpperCase());
    const { id } = await slash('me', 'UFLANDERS');
    const [answer] = await answers(id);
    expect(JSON.stringify(answer)).toContain(person.name);
    expect(await db.chatIdentity.count({ where: { platform: 'slack', externalId: 'UFLANDERS', personId: person.id } })).toBe(1);
    expect(await db.auditEntry.count({ where: { verb: 'linked by e-mail', entityCode: 'demo-flanders' } })).toBe(1);
  });

  it('tells a user with no matching address how to link', async () => {
    fake.emails.set('USTRANGER', 'nobody@elsewhere.example');
    const { id } = await slash('me', 'USTRANGER');
    const [answer] = await answers(id);
    expect(JSON.stringify(answer)).toMatch(/not linked(.|\n)*invite code/);
  });
});

describe('request signing', () => {
  it('refuses a forged signature with 401 and runs nothing', async () => {
    const body = slashBody({ text: 'milestone done A1.1', user_id: LINKED_USER, team_id: TEAM, channel_id: 'C1', response_url: fake.responseUrl('forged') });
    const res = await postSigned(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const wrongSecret = await postSigned(eventsUrl, 'not-the-secret', body, 'application/x-www-form-urlencoded');
    expect(wrongSecret.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.responsesTo('forged')).toHaveLength(0);
    expect((await activity('A1.1')).status).not.toBe('done');
  });

  it('refuses a correctly signed request older than 5 minutes with 401', async () => {
    const body = slashBody({ text: 'actions', user_id: LINKED_USER, team_id: TEAM, channel_id: 'C1', response_url: fake.responseUrl('stale') });
    const res = await postSigned(eventsUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.responsesTo('stale')).toHaveLength(0);
  });
});

describe('buttons', () => {
  async function showButtons(code: string, user = LINKED_USER) {
    const { id } = await slash(`milestone show ${code}`, user);
    const [answer] = await answers(id);
    return buttonsOf(answer!.body);
  }

  it('runs the command as the clicking user, changes the database, replaces the message and announces', async () => {
    expect((await activity('A1.2')).status).not.toBe('done');
    const done = (await showButtons('A1.2')).find((b) => String(b['value']).startsWith('milestone done'))!;
    expect(done['value']).toBe('milestone done A1.2');
    const { res, id } = await click(done, LINKED_USER);
    expect(res.status).toBe(200);
    const [answer] = await answers(id);
    expect(answer!.body['replace_original']).toBe(true);
    expect(shownText(answer!.body)).toContain('A1.2');
    expect((await activity('A1.2')).status).toBe('done');
    const post = await waitFor(() => fake.callsOf('chat.postMessage').find((c) => c.args['channel'] === ACTION1_CHANNEL));
    expect(post.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(String(post.args['text'])).toContain('A1.2');
  });

  it('refuses an unlinked user, as a private message that leaves the original alone', async () => {
    const before = (await activity('A1.3')).status;
    const done = (await showButtons('A1.3', UNLINKED_USER)).find((b) => String(b['value']).startsWith('milestone done'))!;
    const { id } = await click(done, UNLINKED_USER);
    const [answer] = await answers(id);
    expect(answer!.body['response_type']).toBe('ephemeral');
    expect(answer!.body['replace_original']).toBe(false);
    expect(shownText(answer!.body)).toMatch(/not linked/);
    expect((await activity('A1.3')).status).toBe(before);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('opens a modal for inputs and runs the command with them on submission', async () => {
    const move = (await showButtons('A1.4')).find((b) => String(b['value']).includes('milestone move'))!;
    const { id } = await click(move, LINKED_USER);
    const open = await waitFor(() => fake.callsOf('views.open')[0]);
    expect(open.args['trigger_id']).toBe(`trig.${id}`);
    const view = open.args['view'] as Json;
    const elements = (view['blocks'] as Json[]).filter((b) => b['type'] === 'input').map((b) => (b['element'] as Json)['type']);
    expect(elements).toEqual(['datepicker', 'checkboxes']);
    const values = { when: { when: { type: 'datepicker', selected_date: '2026-09-30' } }, tentative: { tentative: { type: 'checkboxes', selected_options: [{ value: 'true', text: { type: 'plain_text', text: 'Tentative (tbc)' } }] } } };
    const submit = await postSigned(eventsUrl, SECRET, submitRequest(view, values), 'application/x-www-form-urlencoded');
    expect(submit.status).toBe(200);
    const [answer] = await answers(id);
    expect(answer!.body['replace_original']).toBe(true);
    const moved = await activity('A1.4');
    expect(moved.whenStart?.toISOString().slice(0, 10)).toBe('2026-09-30');
    expect(moved.whenTentative).toBe(true);
  });
});

describe('App Home', () => {
  it('publishes the "me" view when the Home tab opens', async () => {
    const body = JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: LINKED_USER, channel: 'D1', tab: 'home', event_ts: '1700000000.000300' },
      authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    const res = await postSigned(eventsUrl, SECRET, body, 'application/json');
    expect(res.status).toBe(200);
    const publish = await waitFor(() => fake.callsOf('views.publish')[0]);
    expect(publish.args['user_id']).toBe(LINKED_USER);
    const view = publish.args['view'] as Json;
    expect(view['type']).toBe('home');
    expect(shownText(view) + JSON.stringify(view)).toContain('Laura Meijer');
  });
});

describe('outbound Web API calls', () => {
  it('waits out a 429 with Retry-After and then delivers exactly once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await slack.postMessage('CNEWS', reply('Hello', [text('once')]));
    const calls = fake.callsOf('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(calls[1]!.args['channel']).toBe('CNEWS');
  }, 10_000);

  it('waits for a 429 as long as Retry-After says, with the default retry policy too', async () => {
    const defaults = createSlackApp({ bot: fx.bot, signingSecret: SECRET, botToken: BOT_TOKEN, port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger });
    await defaults.start();
    expect(defaults.isConnected()).toBe(true);
    try {
      fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
      await defaults.postMessage('CNEWS', reply('Hello', [text('once, on time')]));
      const calls = fake.callsOf('chat.postMessage');
      expect(calls).toHaveLength(2);
      // Not Retry-After plus the client's own back-off (one to two more seconds).
      expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
      expect(calls[1]!.at - calls[0]!.at).toBeLessThan(1500);
    } finally {
      await defaults.stop();
    }
    expect(defaults.isConnected()).toBe(false);
  }, 10_000);

  it('asks Slack for a user\'s name again only once ten minutes have passed on the bot\'s clock', async () => {
    const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'));
    const app = createSlackApp({ bot: new Bot({ ...fx.bot.deps, clock }), signingSecret: SECRET, botToken: BOT_TOKEN, port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger });
    const { port } = await app.start();
    try {
      const lookups = () => fake.callsOf('users.info').filter((c) => c.args['user'] === LINKED_USER).length;
      const me = async () => {
        const id = `r${++seq}`;
        await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, slashRequest(fake, id, 'me'), 'application/x-www-form-urlencoded');
        await answers(id);
      };
      await me();
      expect(lookups()).toBe(1);
      clock.advance(9 * 60_000);
      await me();
      expect(lookups()).toBe(1);
      clock.advance(2 * 60_000);
      await me();
      expect(lookups()).toBe(2);
    } finally {
      await app.stop();
    }
  });

  it('gives up on a Retry-After too long to wait for, and says so', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 3600 });
    await expect(slack.postMessage('CNEWS', reply(undefined, [text('later')]))).rejects.toThrow(/rate-limit/);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('logs a final failure with Slack\'s error and without the token', async () => {
    fake.failNext('chat.postMessage', { status: 200, error: 'channel_not_found' });
    await expect(slack.postMessage('CGONE', reply(undefined, [text('x')]))).rejects.toThrow(/channel_not_found/);
    const entry = fx.log.filter((l) => l.level === 'error' && l.data?.['method'] === 'chat.postMessage').at(-1);
    expect(String(entry?.data?.['error'])).toContain('channel_not_found');
    expect(JSON.stringify(fx.log)).not.toContain(BOT_TOKEN);
  });

  it('fails start-up on a rejected bot token with Slack\'s error and without the token', async () => {
    fake.failNext('auth.test', { status: 200, error: 'invalid_auth' });
    const broken = createSlackApp({ bot: fx.bot, signingSecret: SECRET, botToken: 'xoxb-revoked-999', port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger });
    const failure = await broken.start().then(() => undefined, (e: unknown) => e as Error);
    expect(failure?.message).toMatch(/invalid_auth/);
    expect(failure?.message).not.toContain('xoxb-revoked-999');
  });

  it('waits out a Slack it cannot reach at start-up, saying why, and connects once Slack answers', async () => {
    // A port nothing listens on yet: every auth.test is refused, as with a network or DNS failure.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const later = new FakeSlack();
    const patient = createSlackApp({
      bot: fx.bot, signingSecret: SECRET, botToken: BOT_TOKEN, port: 0, slackApiUrl: `http://127.0.0.1:${port}/api/`, logger: fx.logger, reachRetry: { minMs: 50, maxMs: 200 },
    });
    let outcome: string | undefined;
    const starting = patient.start().then(() => (outcome = 'started'), (e: unknown) => (outcome = (e as Error).message));
    try {
      await waitFor(() => fx.log.some((l) => l.msg === 'slack unreachable, retrying'));
      await new Promise((r) => setTimeout(r, 300));
      expect(outcome).toBeUndefined();
      expect(patient.isConnected()).toBe(false);
      expect(() => patient.checkConnected()).toThrow(/^cannot reach Slack \(auth\.test\): .*ECONNREFUSED.*; retrying in 1 s$/);
      expect(JSON.stringify(fx.log)).not.toMatch(/did not accept the bot token/);
      await later.start(false, port);
      await starting;
      expect(outcome).toBe('started');
      expect(patient.checkConnected()).toBe(true);
    } finally {
      await patient.stop();
      await later.stop();
    }
  });

  it('sends a DM through conversations.open', async () => {
    await slack.sendDm('UANN', reply('Reminder', [text('A1.2 is due')]));
    expect(fake.callsOf('conversations.open')[0]!.args['users']).toBe('UANN');
    expect(fake.callsOf('chat.postMessage')[0]!.args['channel']).toBe('DANN');
  });
});

// Socket Mode: the same handlers behind a WebSocket. The stand-in answers apps.connections.open with
// its own ws:// URL, says hello, and sends Slack's envelopes.
describe('Socket Mode', () => {
  const sfake = new FakeSlack();
  let socketApp: SlackApp;

  beforeAll(async () => {
    await sfake.start(true);
    socketApp = createSlackApp({ bot: fx.bot, signingSecret: 'unused-in-socket-mode', botToken: 'xoxb-socket', appToken: 'xapp-1-socket', slackApiUrl: sfake.apiUrl, logger: fx.logger });
    await socketApp.start();
  });

  afterAll(async () => {
    await socketApp?.stop();
    await sfake.stop();
  });

  function envelope(id: string, type: string, payload: Record<string, unknown>) {
    sfake.socket!.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api' }));
  }

  it('connects with the app-level token', () => {
    const open = sfake.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-1-socket');
    expect(sfake.socket).toBeDefined();
  });

  it('acks a slash command envelope and answers at its response_url', async () => {
    envelope('env-1', 'slash_commands', {
      command: '/partner',
      text: 'milestone show A2.1',
      user_id: LINKED_USER,
      user_name: 'laura',
      team_id: TEAM,
      channel_id: 'CGENERAL',
      response_url: sfake.responseUrl('s1'),
      trigger_id: 'trig.s1',
      api_app_id: 'A1',
    });
    await waitFor(() => sfake.socketMessages.find((m) => m['envelope_id'] === 'env-1'));
    const [answer] = await waitFor(() => sfake.responsesTo('s1').length > 0 && sfake.responsesTo('s1'));
    expect(shownText(answer!.body)).toContain('A2.1');
  });

  it('routes a button click to the command and changes the database', async () => {
    envelope('env-2', 'interactive', {
      type: 'block_actions',
      team: { id: TEAM, domain: 'partners' },
      user: { id: LINKED_USER, username: 'laura', name: 'laura', team_id: TEAM },
      api_app_id: 'A1',
      token: 'legacy',
      container: { type: 'message', message_ts: '1.2', channel_id: 'CGENERAL', is_ephemeral: false },
      trigger_id: 'trig.s2',
      channel: { id: 'CGENERAL', name: 'general' },
      response_url: sfake.responseUrl('s2'),
      actions: [{ type: 'button', block_id: 'b', action_id: 'pb:0', text: { type: 'plain_text', text: 'Mark done' }, value: 'milestone done A2.1', action_ts: '1.3' }],
    });
    await waitFor(() => sfake.socketMessages.find((m) => m['envelope_id'] === 'env-2'));
    const [answer] = await waitFor(() => sfake.responsesTo('s2').length > 0 && sfake.responsesTo('s2'));
    expect(answer!.body['replace_original']).toBe(true);
    const a21 = await fx.database.prisma.activity.findFirstOrThrow({ where: { code: 'A2.1' } });
    expect(a21.status).toBe('done');
  });

  it('is connected only while the WebSocket is, and reconnects by itself', async () => {
    expect(socketApp.isConnected()).toBe(true);
    const first = sfake.socket!;
    first.close();
    await waitFor(() => !socketApp.isConnected());
    await waitFor(() => socketApp.isConnected() && sfake.socket !== first, 15_000);
    expect(sfake.callsOf('apps.connections.open')).toHaveLength(2);
  }, 20_000);
});
