// The claim behind "a chat delivery runs once", below the adapters: exactly one of many concurrent
// claims wins (the replicas' race), a claim that only holds for a while (a double click) can be won
// again afterwards, a command that failed on our side gives its claim up, and the tick forgets old ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allCommands } from '../commands/index.ts';
import { Bot, type Invocation } from '../src/core/bot.ts';
import { defineCommand, type CommandDef } from '../src/core/command.ts';
import { CommandRegistry } from '../src/core/registry.ts';
import { reply, text } from '../src/core/reply.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { claimDelivery } from '../src/persistence/delivery-claims.ts';
import { Dispatcher } from '../src/scheduler/dispatcher.ts';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { LogTransport } from '../src/delivery/transport.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let fx: Fixture;
/** A second replica's own connection pool on the PostgreSQL server; on the embedded database, the same client. */
let second: Database | undefined;

beforeAll(async () => {
  fx = await shippedPlanFixture();
  second = fx.db.url ? await openDatabase({ url: fx.db.url }) : undefined;
});

afterAll(async () => {
  await second?.close();
  await fx?.db.drop();
});

const replicas = () => [fx.db.prisma, (second ?? fx.db).prisma];

async function race(key: string, withinMs?: number): Promise<number> {
  const claims = replicas().flatMap((db) => Array.from({ length: 8 }, () => claimDelivery(db, 'slack', key, withinMs)));
  return (await Promise.all(claims)).filter(Boolean).length;
}

describe('claiming a delivery', () => {
  it('lets exactly one of many concurrent claims, from two replicas, win', async () => {
    expect(await race('trig.race')).toBe(1);
    expect(await race('trig.race')).toBe(0);
  });

  it('lets a claim held only for a while be won again, by one claimant, once that while has passed', async () => {
    expect(await race('press T1 U1 1.2 pb:0 milestone done A1.2', 300)).toBe(1);
    expect(await race('press T1 U1 1.2 pb:0 milestone done A1.2', 300)).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(await race('press T1 U1 1.2 pb:0 milestone done A1.2', 300)).toBe(1);
  });

  it('keeps the same id on two platforms apart', async () => {
    expect(await claimDelivery(fx.db.prisma, 'slack', '1234')).toBe(true);
    expect(await claimDelivery(fx.db.prisma, 'discord', '1234')).toBe(true);
  });
});

describe('a command that failed on our side', () => {
  it('gives its claim up, so that the retry of the same delivery runs it', async () => {
    let runs = 0;
    const flaky = defineCommand({
      name: 'test flaky',
      summary: 'Fails on its first run',
      examples: ['test flaky'],
      args: z.object({}),
      permission: 'anyone',
      async handler() {
        if (++runs === 1) throw new Error('the database went away');
        return reply('Flaky', [text('worked the second time')]);
      },
    });
    const bot = new Bot({ ...fx.bot.deps, registry: new CommandRegistry([...allCommands, flaky] as unknown as CommandDef[]) });
    const inv: Invocation = { platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'someone', text: 'test flaky', deliveryId: 'trig.flaky' };
    expect(await bot.handle(inv)).toMatchObject({ error: true });
    expect(await bot.handle(inv)).toMatchObject({ title: 'Flaky' });
    expect(await bot.handle(inv)).toMatchObject({ duplicate: true });
    expect(runs).toBe(2);
  });
});

describe('the scheduler tick', () => {
  it('forgets deliveries claimed more than a day ago and keeps younger ones', async () => {
    const db = fx.db.prisma;
    await claimDelivery(db, 'slack', 'trig.old');
    await claimDelivery(db, 'slack', 'trig.young');
    await db.$executeRawUnsafe(`UPDATE "DeliveryClaim" SET "claimedAt" = "claimedAt" - interval '25 hours' WHERE "key" = 'trig.old'`);
    await db.$executeRawUnsafe(`UPDATE "DeliveryClaim" SET "claimedAt" = "claimedAt" - interval '23 hours' WHERE "key" = 'trig.young'`);
    const dispatcher = new Dispatcher({ db, clock: fx.clock, transports: [], log: new LogTransport(() => {}), workerId: 'prune-test' });
    await new Scheduler(fx.bot, dispatcher).tick();
    const left = (await db.deliveryClaim.findMany({ where: { key: { in: ['trig.old', 'trig.young'] } } })).map((c) => c.key);
    expect(left).toEqual(['trig.young']);
  });
});
