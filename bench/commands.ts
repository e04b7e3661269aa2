// (1) Command latency through Bot.handle, as every adapter calls it, beside the floor of one
// `SELECT 1` round trip through the same Prisma client: the ratio is what the command costs in
// queries and work beyond the cheapest possible database call.
import { createBot } from '../src/app.ts';
import type { Bot, Invocation } from '../src/core/bot.ts';
import { fixedClock, parseInstant } from '../src/core/clock.ts';
import { renderText } from '../src/delivery/plain-text.ts';
import type { Db } from '../src/persistence/database.ts';
import { availableKinds, BENCH_TEAM, BENCH_USER, benchDatabase, seedShippedPlan, type BenchDatabase, type DatabaseKind } from './databases.ts';
import { generateLargeDataset, LARGE } from './large-dataset.ts';
import type { Section } from './run.ts';
import { ms, ratio, sample, summarize, table } from './stats.ts';

export const COMMANDS = ['actions', 'action A1', 'due', 'monitoring', 'me'];

// Three times the usual count: a p99 of 100 samples is the slowest one or two, one garbage collection
// or one burst of load elsewhere on the machine.
const SAMPLES = 3 * Number(process.env.BENCH_SAMPLES ?? 100);

export const benchInvocation = (text: string): Invocation => ({ platform: 'slack', workspaceId: BENCH_TEAM, userId: BENCH_USER, displayName: 'bench', text });

export function benchBot(db: BenchDatabase, partnership: string): Bot {
  return createBot({ db: db.prisma, clock: fixedClock(parseInstant('2025-11-20', 'Europe/Brussels')), defaultPartnership: partnership });
}

/** How many Prisma operations one run of `text` makes: most of a command's cost is round trips. */
async function prismaCalls(db: BenchDatabase, partnership: string, text: string): Promise<number> {
  let calls = 0;
  const counted = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        calls++;
        return query(args);
      },
    },
  });
  const bot = createBot({ db: counted as unknown as Db, clock: fixedClock(parseInstant('2025-11-20', 'Europe/Brussels')), defaultPartnership: partnership });
  await checkedHandle(bot, text);
  return calls;
}

/** Fails loudly if a command errs: timing an error message would flatter the figures. */
export async function checkedHandle(bot: Bot, text: string): Promise<void> {
  const reply = await bot.handle(benchInvocation(text));
  if (reply.error) throw new Error(`benchmark command "${text}" failed: ${renderText(reply)}`);
}

interface DataSet {
  name: string;
  target: number;
  seed(db: BenchDatabase): Promise<string>;
}

const DATA_SETS: DataSet[] = [
  { name: 'shipped plan', target: 50, seed: seedShippedPlan },
  { name: 'large', target: 150, seed: generateLargeDataset },
];

export const commandLatency: Section = {
  title: 'Command latency (Bot.handle)',
  async run(log) {
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const kind of availableKinds() as DatabaseKind[]) {
      for (const set of DATA_SETS) {
        const db = await benchDatabase(kind);
        try {
          const seeding = performance.now();
          const slug = await set.seed(db);
          const seedMs = performance.now() - seeding;
          notes.push(`${set.name} on ${db.label}: data set ready in ${(seedMs / 1000).toFixed(1)} s`);
          const bot = benchBot(db, slug);
          const floor = summarize(await sample(SAMPLES, () => db.prisma.$queryRaw`SELECT 1`));
          for (const command of COMMANDS) {
            const s = summarize(await sample(SAMPLES, () => checkedHandle(bot, command)));
            const ok = s.p99 < set.target ? 'yes' : '**no**';
            const calls = await prismaCalls(db, slug, command);
            rows.push([db.label, set.name, `\`${command}\``, calls, ms(s.p50), ms(s.p99), ms(floor.p50), ms(floor.p99), ratio(s.p50, floor.p50), ratio(s.p99, floor.p99), `< ${set.target}`, ok]);
            log(`  ${kind} ${set.name} ${command}: p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms (floor ${ms(floor.p50)}/${ms(floor.p99)})`);
          }
        } finally {
          await db.dispose();
        }
      }
    }
    return [
      `${SAMPLES} sequential runs per command after 20 unmeasured ones; fixed clock 2025-11-20; a linked Slack user (the secretariat). ` +
        'The floor is one `SELECT 1` through the same Prisma client; "Prisma calls" counts the operations one run of the command makes (each is at least one round trip).',
      `The large set: ${LARGE.partnerships} partnerships, ${LARGE.partnerships * LARGE.peoplePer} people, ${LARGE.partnerships * LARGE.actionsPer * LARGE.activitiesPerAction} activities, ${LARGE.partnerships * LARGE.actionsPer * LARGE.outputsPerAction} outputs; commands run in one of the partnerships.`,
      '',
      table(['database', 'data set', 'command', 'Prisma calls', 'p50 ms', 'p99 ms', 'floor p50', 'floor p99', 'p50 / floor', 'p99 / floor', 'target p99 ms', 'met'], rows),
      '',
      ...notes.map((n) => `- ${n}`),
    ].join('\n');
  },
};
