// A check-in in Slack, against the stand-in: its buttons within Block Kit's limits, a click on "done"
// runs the answer as the clicking user, and "still running" opens a modal asking for the new date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../adapters/slack/app.ts';
import { renderReply } from '../../adapters/slack/render.ts';
import type { Reply } from '../../src/core/reply.ts';
import { planAll } from '../../src/scheduler/scheduler.ts';
import { FakeSlack, postSigned, waitFor } from './fake-slack.ts';
import { expectWithinLimits, shownText } from './limits.ts';
import { clickRequest, slashRequest, submitRequest } from './requests.ts';
import { setUp, type Fixture } from './setup.ts';

const SECRET = 'test-signing-secret';
type Json = Record<string, unknown>;

let fx: Fixture;
let slack: SlackApp;
const fake = new FakeSlack();
let eventsUrl = '';
let seq = 0;

beforeAll(async () => {
  await fake.start();
  fx = await setUp();
  slack = createSlackApp({ bot: fx.bot, signingSecret: SECRET, botToken: 'xoxb-test', port: 0, slackApiUrl: fake.apiUrl, logger: fx.logger });
  eventsUrl = `http://127.0.0.1:${(await slack.start()).port}/slack/events`;
  // The first tick on the plan (the fixture's clock: 15 Jan 2026) opens the first-day check-ins.
  await planAll(fx.bot);
}, 30_000);

afterAll(async () => {
  await slack?.stop();
  await fx?.database.close();
  await fake.stop();
});

const answers = (id: string) => waitFor(() => fake.responsesTo(id).length >= 1 && fake.responsesTo(id));
const buttonsOf = (message: Json) => ((message['blocks'] ?? []) as Json[]).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'] as Json[]);

async function slash(commandText: string) {
  const id = `r${++seq}`;
  await postSigned(eventsUrl, SECRET, slashRequest(fake, id, commandText), 'application/x-www-form-urlencoded');
  return fake.responsesTo(id).length ? fake.responsesTo(id) : answers(id);
}

async function click(button: Json) {
  const id = `r${++seq}`;
  await postSigned(eventsUrl, SECRET, clickRequest(fake, id, button, { isEphemeral: true, actionTs: `17000000${seq}.000200` }), 'application/x-www-form-urlencoded');
  return id;
}

describe('a check-in in Slack', () => {
  it('shows every item\'s answers as buttons, within limits; "done" runs the answer as the clicking user', async () => {
    const messages = await slash('checkin');
    for (const m of messages) expectWithinLimits(m.body);
    const buttons = messages.flatMap((m) => buttonsOf(m.body));
    // Every item of every Action's round has its four answers.
    const rounds = await fx.database.prisma.checkIn.findMany();
    const items = rounds.reduce((n, r) => n + (r.items as unknown[]).length, 0);
    expect(items).toBeGreaterThan(17);
    expect(buttons).toHaveLength(items * 4);
    const done = buttons.find((b) => b['value'] === 'checkin answer A1 1 done')!;
    expect(shownText({ blocks: [{ type: 'actions', elements: [done] }] })).toContain('A1.1 done');
    await answers(await click(done));
    const a11 = await fx.database.prisma.activity.findFirstOrThrow({ where: { code: 'A1.1' } });
    expect(a11.status).toBe('done');
    const audit = await fx.database.prisma.auditEntry.findMany({ where: { entityId: a11.id } });
    expect(audit.map((a) => [a.verb, a.platform]).sort()).toEqual([['check-in answer', 'slack'], ['status', 'slack']]);
  });

  it('"still running" asks for the new date in a modal, and the submission moves the item', async () => {
    const buttons = (await slash('checkin')).flatMap((m) => buttonsOf(m.body));
    const command = (b: Json) => (String(b['value']).startsWith('{') ? (JSON.parse(String(b['value'])) as { command: string }).command : String(b['value']));
    const running = buttons.find((b) => command(b).startsWith('checkin answer A4 ') && command(b).endsWith(' running'))!;
    const n = command(running).split(' ')[3];
    const id = await click(running);
    const open = await waitFor(() => fake.callsOf('views.open').find((c) => c.args['trigger_id'] === `trig.${id}`));
    const view = open.args['view'] as Json;
    const inputs = (view['blocks'] as Json[]).filter((b) => b['type'] === 'input');
    expect(inputs.map((b) => (b['element'] as Json)['type'])).toEqual(['datepicker']);
    expect(String((view['title'] as Json)['text']).length).toBeLessThanOrEqual(24);
    await postSigned(eventsUrl, SECRET, submitRequest(view, { when: { when: { type: 'datepicker', selected_date: '2026-03-31' } } }), 'application/x-www-form-urlencoded');
    const round = await fx.database.prisma.checkIn.findFirstOrThrow({ where: { action: { number: 4 } }, include: { answers: true } });
    const answer = await waitFor(() => fx.database.prisma.checkInAnswer.findFirst({ where: { checkInId: round.id, n: Number(n) } }));
    expect(answer!.answer).toBe('running');
    const item = (round.items as { n: number; id: string }[]).find((i) => i.n === Number(n))!;
    const moved = await fx.database.prisma.activity.findUnique({ where: { id: item.id } }) ?? (await fx.database.prisma.output.findUniqueOrThrow({ where: { id: item.id } }));
    expect(moved.whenEnd?.toISOString().slice(0, 10)).toBe('2026-03-31');
  });

  it('the monthly "Update" opens a modal prefilled with the state of play; the submission sets it', async () => {
    await slash('checkin send A1');
    await planAll(fx.bot);
    const row = await fx.database.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'checkin-monthly', actionNumber: 1 } });
    const [message] = renderReply(row.payload as unknown as Reply);
    expectWithinLimits(message as unknown as Json);
    const update = buttonsOf(message as unknown as Json).find((b) => String((b['text'] as Json)['text']) === 'Update')!;
    const id = await click(update);
    const open = await waitFor(() => fake.callsOf('views.open').find((c) => c.args['trigger_id'] === `trig.${id}`));
    const view = open.args['view'] as Json;
    const [input, tick] = (view['blocks'] as Json[]).filter((b) => b['type'] === 'input');
    const a1 = await fx.database.prisma.action.findFirstOrThrow({ where: { number: 1 } });
    expect((input!['element'] as Json)['initial_value']).toBe(a1.statePlay);
    // What fell due and is still open, to tick off in the same answer.
    expect(tick).toMatchObject({ block_id: 'done', optional: true, element: { type: 'checkboxes', action_id: 'done' } });
    const [option] = (tick!['element'] as Json)['options'] as Json[];
    const ticked = String(option!['value']);
    const values = { text: { text: { type: 'plain_text_input', value: 'Second exchange held; "report" drafting' } }, done: { done: { type: 'checkboxes', selected_options: [option] } } };
    await postSigned(eventsUrl, SECRET, submitRequest(view, values, { viewId: 'V0002' }), 'application/x-www-form-urlencoded');
    const updated = await waitFor(async () => {
      const a = await fx.database.prisma.action.findUniqueOrThrow({ where: { id: a1.id } });
      return a.statePlay !== a1.statePlay && a;
    });
    expect(updated.statePlay).toBe('Second exchange held; "report" drafting');
    const item = (await fx.database.prisma.activity.findFirst({ where: { code: ticked } })) ?? (await fx.database.prisma.output.findFirstOrThrow({ where: { code: ticked } }));
    expect(['done', 'validated']).toContain(item.status);
    expect(await fx.database.prisma.checkInAnswer.count({ where: { n: 0, checkIn: { actionId: a1.id } } })).toBe(1);
  });
});
