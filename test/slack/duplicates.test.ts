// Slack delivers one request more than once: again when our 200 came later than 3 seconds
// (X-Slack-Retry-Num), to each of two replicas behind one load balancer, and a user double-clicks.
// Each runs its command once. Two real Bolt apps share one database: in one process on the embedded
// database, or with their own connection pools on the PostgreSQL server when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../adapters/slack/app.ts';
import { Bot, DOUBLE_PRESS_MS } from '../../src/core/bot.ts';
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { FakeSlack, postSigned, waitFor } from './fake-slack.ts';
import { clickRequest, slashRequest } from './requests.ts';
import { LINKED_USER, setUp, TEAM, type Fixture } from './setup.ts';

const SECRET = 'duplicates-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
const RETRY = { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };

const fake = new FakeSlack();
let testDb: TestDatabase;
let secondDb: Database | undefined;
let fx: Fixture;
let apps: SlackApp[] = [];
let replicas: string[] = [];
let seq = 0;

beforeAll(async () => {
  await fake.start();
  testDb = await freshDatabase();
  fx = await setUp(testDb);
  secondDb = testDb.url ? await openDatabase({ url: testDb.url }) : undefined;
  const bots = [fx.bot, new Bot({ ...fx.bot.deps, db: (secondDb ?? testDb).prisma })];
  apps = bots.map((bot) => createSlackApp({ bot, signingSecret: SECRET, botToken: 'xoxb-duplicates', port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger }));
  replicas = await Promise.all(apps.map(async (app) => `http://127.0.0.1:${(await app.start()).port}/slack/events`));
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  await secondDb?.close();
  await testDb?.drop();
  await fake.stop();
});

function slashCommand(text: string) {
  const id = `d${++seq}`;
  const trigger = `trig.${id}`;
  const body = slashRequest(fake, id, text);
  return { id, trigger, body };
}

/** A click on a button that runs `command`, on one message; each click is its own interaction. */
function buttonClick(command: string, messageTs: string) {
  const id = `d${++seq}`;
  const trigger = `trig.${id}`;
  const button = { action_id: 'pb:0', text: { type: 'plain_text', text: 'Add' }, value: command };
  const body = clickRequest(fake, id, button, { messageTs, actionTs: `${messageTs}1` });
  return { id, trigger, body };
}

const agendaItems = (title: string) => fx.database.prisma.agendaItem.count({ where: { title } });
const ignored = (key: string) => fx.log.some((l) => l.msg === 'duplicate delivery ignored' && String(l.data?.['delivery']).includes(key));

/** Both copies are dealt with: a second answer came, or the second copy was ignored. */
async function settled(copies: { id: string }[], key: string): Promise<void> {
  await waitFor(() => copies.reduce((n, c) => n + fake.responsesTo(c.id).length, 0) >= 2 || ignored(key));
}

describe('one Slack request delivered twice', () => {
  it('runs a slash command Slack sends again with X-Slack-Retry-Num once, and answers once', async () => {
    const title = 'Retried slash command item';
    const cmd = slashCommand(`agenda add "${title}"`);
    expect((await postSigned(replicas[0]!, SECRET, cmd.body, FORM)).status).toBe(200);
    expect((await postSigned(replicas[0]!, SECRET, cmd.body, FORM, RETRY)).status).toBe(200);
    await settled([cmd], cmd.trigger);
    await waitFor(() => fake.responsesTo(cmd.id).length > 0);
    expect(fake.responsesTo(cmd.id)).toHaveLength(1);
    expect(await agendaItems(title)).toBe(1);
  });

  it('runs a button click Slack sends again once', async () => {
    const title = 'Retried click item';
    const click = buttonClick(`agenda add "${title}"`, '1700000100.000100');
    expect((await postSigned(replicas[0]!, SECRET, click.body, FORM)).status).toBe(200);
    expect((await postSigned(replicas[0]!, SECRET, click.body, FORM, RETRY)).status).toBe(200);
    await settled([click], click.trigger);
    await waitFor(() => fake.responsesTo(click.id).length > 0);
    expect(fake.responsesTo(click.id)).toHaveLength(1);
    expect(await agendaItems(title)).toBe(1);
  });

  it('runs a slash command that reached both replicas once', async () => {
    const title = 'Slash command at two replicas';
    const cmd = slashCommand(`agenda add "${title}"`);
    const statuses = await Promise.all(replicas.map((url) => postSigned(url, SECRET, cmd.body, FORM).then((r) => r.status)));
    expect(statuses).toEqual([200, 200]);
    await settled([cmd], cmd.trigger);
    await waitFor(() => fake.responsesTo(cmd.id).length > 0);
    expect(fake.responsesTo(cmd.id)).toHaveLength(1);
    expect(await agendaItems(title)).toBe(1);
  });

  it('runs a button click that reached both replicas once', async () => {
    const title = 'Click at two replicas';
    const click = buttonClick(`agenda add "${title}"`, '1700000200.000100');
    await Promise.all(replicas.map((url) => postSigned(url, SECRET, click.body, FORM)));
    await settled([click], click.trigger);
    await waitFor(() => fake.responsesTo(click.id).length > 0);
    expect(fake.responsesTo(click.id)).toHaveLength(1);
    expect(await agendaItems(title)).toBe(1);
  });

  it('publishes the App Home once when Slack sends the app_home_opened event again', async () => {
    const eventId = `Ev.duplicate.${++seq}`;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: LINKED_USER, channel: 'D1', tab: 'home', event_ts: '1700000300.000300' },
      authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    const before = fake.callsOf('views.publish').length;
    await postSigned(replicas[0]!, SECRET, body, 'application/json');
    await postSigned(replicas[1]!, SECRET, body, 'application/json', RETRY);
    await waitFor(() => fake.callsOf('views.publish').length >= before + 2 || ignored(eventId));
    await waitFor(() => fake.callsOf('views.publish').length > before);
    expect(fake.callsOf('views.publish')).toHaveLength(before + 1);
  });
});

describe('a double click', () => {
  it('runs once: two interactions on the same button within a few seconds; a later press runs again', async () => {
    const title = 'Double-clicked item';
    const messageTs = '1700000400.000100';
    const first = buttonClick(`agenda add "${title}"`, messageTs);
    const second = buttonClick(`agenda add "${title}"`, messageTs);
    await postSigned(replicas[0]!, SECRET, first.body, FORM);
    await postSigned(replicas[1]!, SECRET, second.body, FORM);
    await settled([first, second], `press ${TEAM} ${LINKED_USER} ${messageTs}`);
    await waitFor(() => fake.responsesTo(first.id).length + fake.responsesTo(second.id).length > 0);
    expect(fake.responsesTo(first.id).length + fake.responsesTo(second.id).length).toBe(1);
    expect(await agendaItems(title)).toBe(1);

    await new Promise((r) => setTimeout(r, DOUBLE_PRESS_MS + 200));
    const later = buttonClick(`agenda add "${title}"`, messageTs);
    await postSigned(replicas[0]!, SECRET, later.body, FORM);
    await waitFor(() => fake.responsesTo(later.id).length > 0);
    expect(await agendaItems(title)).toBe(2);
  }, 15_000);

  it('runs both when the same user presses the same command on two different messages', async () => {
    const title = 'Two messages item';
    const a = buttonClick(`agenda add "${title}"`, '1700000500.000100');
    const b = buttonClick(`agenda add "${title}"`, '1700000600.000100');
    await postSigned(replicas[0]!, SECRET, a.body, FORM);
    await postSigned(replicas[0]!, SECRET, b.body, FORM);
    await waitFor(() => fake.responsesTo(a.id).length > 0 && fake.responsesTo(b.id).length > 0);
    expect(await agendaItems(title)).toBe(2);
  });
});
