// A check-in in Discord, against the local stand-in: every message within Discord's limits, every
// custom id within 100 characters, a click answers as the clicking user, "still running" opens a modal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply, toApiBody } from '../../adapters/discord/render.ts';
import { parseInstant, type ManualClock } from '../../src/core/clock.ts';
import type { Reply } from '../../src/core/reply.ts';
import { planAll } from '../../src/scheduler/scheduler.ts';
import { buttonClick, GUILD_ID, modalSubmit, sentMessage } from './fake-discord.ts';
import { expectWithinLimits } from './limits.ts';
import { connectedDiscord, LAURA, type ConnectedDiscord, type DiscordFixture } from './setup.ts';

const CALLBACK = { update: 7, modal: 9 } as const;

let connected: ConnectedDiscord;
let fixture: DiscordFixture;
let interact: ConnectedDiscord['interact'];

beforeAll(async () => {
  connected = await connectedDiscord();
  ({ fixture, interact } = connected);
  (fixture.bot.deps.clock as ManualClock).set(parseInstant('2025-11-24T09:00:00', 'Europe/Brussels'));
  await planAll(fixture.bot);
});

afterAll(async () => {
  await connected?.stop();
});

async function checkInMessages() {
  const reply = await fixture.bot.handle({ platform: 'discord', workspaceId: GUILD_ID, userId: LAURA.id, displayName: 'Laura', text: 'checkin' });
  return renderReply(reply).map(toApiBody);
}

const customIds = (messages: Record<string, any>[]) => messages.flatMap((m) => (m['components'] ?? []).flatMap((row: any) => row.components.map((b: any) => String(b.custom_id))));

describe('a check-in in Discord', () => {
  it('fits Discord\'s limits: every item\'s four answers, custom ids within 100 characters', async () => {
    const messages = await checkInMessages();
    for (const m of messages) expectWithinLimits(m);
    const ids = customIds(messages);
    expect(ids).toHaveLength(17 * 4);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    expect(ids).toContain('pb:checkin answer A2 10 done');
  });

  it('a click on "done" answers as the clicking user', async () => {
    const shown = sentMessage((await checkInMessages())[0]);
    const callback = await interact(buttonClick(LAURA, 'pb:checkin answer A1 1 done', shown));
    expect(callback.body.type).toBe(CALLBACK.update);
    const a11 = await fixture.database.prisma.activity.findFirstOrThrow({ where: { code: 'A1.1' } });
    expect(a11.status).toBe('done');
    expect(await fixture.database.prisma.auditEntry.count({ where: { entityId: a11.id, platform: 'discord', verb: 'status' } })).toBe(1);
  });

  it('"still running" opens a modal whose date moves the item', async () => {
    const messages = await checkInMessages();
    const running = customIds(messages).find((id) => id.startsWith('pbi:') && id.endsWith('checkin answer A4 4 running'))!;
    // The message that holds the button: a check-in this long takes several.
    const holder = sentMessage(messages.find((m) => customIds([m]).includes(running)));
    const opened = await interact(buttonClick(LAURA, running, holder));
    expect(opened.body.type).toBe(CALLBACK.modal);
    const modal = opened.body.data;
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.components.map((c: any) => c.component.custom_id)).toEqual(['when']);
    expect(modal.custom_id).toBe(`pbm:${running.slice(4)}`);
    const submitted = await interact(modalSubmit(LAURA, modal.custom_id, { when: '2026-03' }, holder));
    expect(submitted.body.type).toBe(CALLBACK.update);
    const a43 = await fixture.database.prisma.activity.findFirstOrThrow({ where: { code: 'A4.3' } });
    expect([a43.status, a43.whenEnd?.toISOString().slice(0, 10)]).toEqual(['in_progress', '2026-03-31']);
  });

  it('the monthly "Update" opens a text modal whose submission sets the state of play', async () => {
    await fixture.bot.handle({ platform: 'discord', workspaceId: GUILD_ID, userId: LAURA.id, displayName: 'Laura', text: 'checkin send A2' });
    await planAll(fixture.bot);
    const row = await fixture.database.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'checkin-monthly', actionNumber: 2 } });
    const messages = renderReply(row.payload as unknown as Reply).map(toApiBody);
    for (const m of messages) expectWithinLimits(m);
    const update = customIds(messages).find((id) => id.endsWith('checkin answer A2 status'))!;
    expect(update.length).toBeLessThanOrEqual(100);
    const holder = sentMessage(messages.find((m) => customIds([m]).includes(update)));
    const opened = await interact(buttonClick(LAURA, update, holder));
    expect(opened.body.type).toBe(CALLBACK.modal);
    const modal = opened.body.data;
    // What fell due and is still open is listed in the message; its ids are typed in the second field.
    expect(modal.components.map((c: any) => c.component.custom_id)).toEqual(['text', 'done']);
    expect(modal.components[1].component).toMatchObject({ required: false, placeholder: 'ids, e.g. A1.2 A1.O3' });
    const offered = (row.payload as unknown as Reply).blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.label === 'Update')!.inputs!.find((i) => i.name === 'done')!.options!;
    const ticked = offered[0]!.value;
    await interact(modalSubmit(LAURA, modal.custom_id, { text: 'Mapping report in review with the Action group', done: ticked }, holder));
    const a2 = await fixture.database.prisma.action.findFirstOrThrow({ where: { number: 2 } });
    expect(a2.statePlay).toBe('Mapping report in review with the Action group');
    const item = (await fixture.database.prisma.activity.findFirst({ where: { code: ticked } })) ?? (await fixture.database.prisma.output.findFirstOrThrow({ where: { code: ticked } }));
    expect(['done', 'validated']).toContain(item.status);
  });
});
