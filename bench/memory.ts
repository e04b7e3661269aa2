// (5) Memory: resident set size with the bot idle, and after 10,000 commands, each measured after a
// full garbage collection, so growth means memory that is still referenced (a leak or a cache).
// On the PostgreSQL server when there is one (the multi-replica deployment; four commands in flight,
// as from several users at once), else on the embedded database one at a time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { availableKinds, benchDatabase, seedShippedPlan } from './databases.ts';
import { benchBot, checkedHandle, COMMANDS } from './commands.ts';
import type { Section } from './run.ts';
import { mb, table } from './stats.ts';

const COUNT = Number(process.env.BENCH_MEMORY_COMMANDS ?? 10_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settled(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

export const memory: Section = {
  title: 'Memory',
  async run(log) {
    const rows: string[][] = [];
    const kind = availableKinds().includes('postgres') ? 'postgres' : 'embedded';
    const inFlight = kind === 'postgres' ? 4 : 1;
    const db = await benchDatabase(kind);
    try {
      const bot = benchBot(db, await seedShippedPlan(db));
      for (const c of COMMANDS) await checkedHandle(bot, c);
      const idle = settled();
      const started = performance.now();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < COUNT; i = next++) await checkedHandle(bot, COMMANDS[i % COMMANDS.length]!);
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      const seconds = (performance.now() - started) / 1000;
      const after = settled();
      log(`  rss ${mb(idle.rss)} → ${mb(after.rss)} MB; heap ${mb(idle.heapUsed)} → ${mb(after.heapUsed)} MB (${seconds.toFixed(0)} s)`);
      rows.push(
        ['RSS', mb(idle.rss), mb(after.rss), `${after.rss >= idle.rss ? '+' : ''}${mb(after.rss - idle.rss)}`],
        ['JS heap used', mb(idle.heapUsed), mb(after.heapUsed), `${after.heapUsed >= idle.heapUsed ? '+' : ''}${mb(after.heapUsed - idle.heapUsed)}`],
        ['external + array buffers', mb(idle.external + idle.arrayBuffers), mb(after.external + after.arrayBuffers), `${mb(after.external + after.arrayBuffers - idle.external - idle.arrayBuffers)}`],
      );
      return [
        `${db.label}, shipped plan, measured in the benchmark process itself (its other sections ran before, so only the growth is meaningful). ` +
          `${COUNT.toLocaleString('en')} commands (${COMMANDS.map((c) => `\`${c}\``).join(', ')} in turn, ${inFlight} in flight) through Bot.handle in ${seconds.toFixed(0)} s; sizes in MB after forced garbage collection.`,
        '',
        table(['measure', 'idle', `after ${COUNT.toLocaleString('en')} commands`, 'growth'], rows),
      ].join('\n');
    } finally {
      await db.dispose();
    }
  },
};
