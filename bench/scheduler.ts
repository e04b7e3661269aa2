// Scheduler benchmarks: tick time as the plan grows (1k, 10k, 100k activities), and a fan-out of
// 1,000 DMs through the real Slack adapter to a local Slack API that rate-limits 10% of calls.
// Part of `npm run bench` (`npm run bench -- scheduler` or `-- fan-out` for one section).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp } from '../adapters/slack/index.ts';
import { slackTransport } from '../adapters/slack/transport.ts';
import { createBot } from '../src/app.ts';
import { ManualClock } from '../src/core/clock.ts';
import { openDatabase, type Database } from '../src/persistence/database.ts';
import { Dispatcher } from '../src/scheduler/dispatcher.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { LogTransport } from '../src/delivery/transport.ts';

import { availableKinds, benchDatabase } from './databases.ts';
import type { Section } from './run.ts';
import { table } from './stats.ts';

interface Row {
  benchmark: string;
  value: string;
  floor: string;
  ratio: string;
  note: string;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** A partnership with `activities` activities spread over 2025-2027 across 20 Actions. */
export async function generate(db: Database, activities: number): Promise<void> {
  const p = await db.prisma.partnership.create({ data: { slug: `bench-${activities}`, name: `Bench ${activities}` } });
  const orgs = await Promise.all(
    Array.from({ length: 40 }, (_, i) => db.prisma.organisation.create({ data: { partnershipId: p.id, key: `org-${i}`, name: `Org ${i}`, kind: 'city' } })),
  );
  await db.prisma.person.createMany({ data: orgs.map((o, i) => ({ partnershipId: p.id, key: `person-${i}`, name: `Person ${i}`, organisationId: o.id })) });
  const actions = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.prisma.action.create({
        data: {
          partnershipId: p.id,
          number: i + 1,
          shortTitle: `A${i + 1}`,
          title: `Action ${i + 1}`,
          objective: 'Benchmark',
          deadlineKind: 'month',
          deadlineText: '2027-03',
          roles: { create: [{ role: 'co_leader', organisationId: orgs[2 * i]!.id }, { role: 'co_leader', organisationId: orgs[2 * i + 1]!.id }] },
        },
      }),
    ),
  );
  const start = Date.parse('2025-01-01');
  const span = 3 * 365;
  for (let offset = 0; offset < activities; offset += 5000) {
    const chunk = Math.min(5000, activities - offset);
    await db.prisma.activity.createMany({
      data: Array.from({ length: chunk }, (_, j) => {
        const n = offset + j;
        const action = actions[n % actions.length]!;
        const day = new Date(start + ((n * 7919) % span) * 86_400_000);
        const end = new Date(day.getTime() + ((n % 3) * 30) * 86_400_000);
        return {
          actionId: action.id,
          seq: Math.floor(n / actions.length) + 1,
          code: `A${action.number}.${Math.floor(n / actions.length) + 1}`,
          title: `Activity ${n}`,
          whenKind: n % 3 === 0 ? ('day' as const) : ('range' as const),
          whenStart: day,
          whenEnd: end,
          whenText: 'bench',
        };
      }),
    });
  }
}

export async function benchTicks(sizes = [1_000, 10_000, 100_000]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of availableKinds()) {
    for (const size of sizes) {
      const db = await benchDatabase(kind);
      try {
        await generate(db, size);
        const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
        const bot = createBot({ db: db.prisma, clock });
        const [, floor] = await timed(() => db.prisma.$queryRawUnsafe('SELECT count(*) FROM "Activity"'));
        const [first, firstMs] = await timed(() => planAll(bot));
        clock.advance(60_000);
        const [, steadyMs] = await timed(() => planAll(bot));
        rows.push({
          benchmark: `scheduler tick, ${size.toLocaleString('en')} activities (${db.label})`,
          value: `${ms(firstMs)} first, ${ms(steadyMs)} next`,
          floor: `${ms(floor)} (count(*) scan)`,
          ratio: `${(firstMs / Math.max(floor, 0.1)).toFixed(1)}x first, ${(steadyMs / Math.max(floor, 0.1)).toFixed(1)}x next`,
          note: `${first.planned.length} notifications planned`,
        });
      } finally {
        await db.dispose();
      }
    }
  }
  return rows;
}

/** A Slack Web API stand-in: every tenth call answers 429 with Retry-After: 1. */
async function rateLimitedSlack() {
  let calls = 0;
  const delivered = new Map<string, number>();
  let limited = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const method = req.url!.replace(/^\/api\//, '').split('?')[0]!;
      const args = Object.fromEntries(new URLSearchParams(body));
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (method === 'auth.test') return json(200, { ok: true, user_id: 'UBOT', team_id: 'T1', bot_id: 'B1' });
      if (++calls % 10 === 0) {
        limited++;
        return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      if (method === 'conversations.open') return json(200, { ok: true, channel: { id: `D${String(args.users).slice(1)}` } });
      if (method === 'chat.postMessage') {
        const text = String(args.text ?? '');
        delivered.set(text, (delivered.get(text) ?? 0) + 1);
        return json(200, { ok: true, channel: args.channel, ts: `${calls}.0001` });
      }
      return json(200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    delivered,
    limited: () => limited,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function benchFanout(count = 1_000): Promise<Row[]> {
  const db = await openDatabase({ memory: true });
  const slackApi = await rateLimitedSlack();
  try {
    const p = await db.prisma.partnership.create({ data: { slug: 'fanout', name: 'Fan-out' } });
    await db.prisma.person.createMany({ data: Array.from({ length: count }, (_, i) => ({ partnershipId: p.id, key: `p${i}`, name: `P${i}`, preferences: { quietHours: { start: 0, end: 24 }, workingDays: [1, 2, 3, 4, 5, 6, 7] } })) });
    const people = await db.prisma.person.findMany({ where: { partnershipId: p.id } });
    await db.prisma.chatIdentity.createMany({ data: people.map((x, i) => ({ personId: x.id, platform: 'slack', workspaceId: 'T1', externalId: `U${i}` })) });
    const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
    await db.prisma.outboxMessage.createMany({
      data: people.map((x, i) => ({ partnershipId: p.id, key: `fan:${i}`, kind: 'nudge', dueAt: clock.now(), personId: x.id, payload: { title: `message ${i}`, blocks: [] } })),
    });
    const bot = createBot({ db: db.prisma, clock });
    const quiet = { info() {}, warn() {}, error() {} };
    const slack = createSlackApp({ bot, logger: quiet, botToken: 'xoxb-bench', signingSecret: 'bench', port: 0, slackApiUrl: slackApi.url });
    await slack.start();
    const dispatcher = new Dispatcher({ db: db.prisma, clock, transports: [slackTransport(slack)], log: new LogTransport(() => {}), workerId: 'bench' });
    const [results, total] = await timed(() => dispatcher.dispatchDue(50));
    await slack.stop();
    const sent = results.filter((r) => r.outcome === 'sent').length;
    const exactlyOnce = [...slackApi.delivered.values()].every((n) => n === 1) && slackApi.delivered.size === count;
    // The floor: the waiting Slack imposes (Retry-After, one second per limited call), in the same run.
    const floor = slackApi.limited() * 1000;
    return [
      {
        benchmark: `fan-out: ${count.toLocaleString('en')} DMs, 10% answered 429 Retry-After: 1`,
        value: ms(total),
        floor: `${ms(floor)} (${slackApi.limited()} × Retry-After)`,
        ratio: `${(total / floor).toFixed(2)}x`,
        note: `${sent}/${count} sent, ${exactlyOnce ? 'each exactly once' : 'DUPLICATES OR LOSSES'}`,
      },
    ];
  } finally {
    await slackApi.close();
    await db.close();
  }
}

const asTable = (rows: Row[]) => table(['benchmark', 'time', 'floor', 'ratio', 'note'], rows.map((r) => [r.benchmark, r.value, r.floor, r.ratio, r.note]));

export const schedulerTicks: Section = {
  title: 'Scheduler tick time as the plan grows',
  async run(log) {
    log(`   generating 1k, 10k and 100k activities (${availableKinds().join(', ')})`);
    return `${asTable(await benchTicks())}\n\nTarget: a tick on 100,000 activities under 2 s. "first" plans and writes the notifications due; "next" is the steady state a minute later.`;
  },
};

export const fanOut: Section = {
  title: 'Fan-out through a rate-limited Slack',
  async run() {
    return `${asTable(await benchFanout())}\n\nThe dispatcher sends one message at a time; each 429 costs its Retry-After, which is the floor.`;
  },
};
