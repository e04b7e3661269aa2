// `npx tsx bench/run.ts`: runs every benchmark section in order, prints each table as it is done and
// writes them all to bench/results.md. Every figure stands beside a floor measured in the same run on
// the same machine, so the ratios mean something even where the absolute numbers do not travel.
// Set DATABASE_URL to include a PostgreSQL server; BENCH_SAMPLES to change the sample count.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { commandLatency } from './commands.ts';
import { memory } from './memory.ts';
import { fanOut, schedulerTicks } from './scheduler.ts';
import { slackEndToEnd } from './slack.ts';
import { startupAndMemory } from './startup.ts';

export interface Section {
  title: string;
  /** Gives the section's markdown; `log` reports progress on stderr. */
  run(log: (line: string) => void): Promise<string>;
}

const SECTIONS: Section[] = [commandLatency, slackEndToEnd, schedulerTicks, fanOut, memory, startupAndMemory];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  const started = Date.now();
  // Other work on the machine moves every figure; the floors move with it, the ratios much less.
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
  const loadBefore = load();
  const parts = [
    '# partnerbot benchmarks',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · ` +
      `${process.env.DATABASE_URL ? 'embedded database and PostgreSQL server' : 'embedded database only (set DATABASE_URL for a server)'}.`,
    'Regenerate with `npx tsx bench/run.ts`. Figures are milliseconds; each ratio divides by a floor measured in the same run.',
  ];
  for (const [i, section] of SECTIONS.entries()) {
    if (only.length && !only.some((o) => section.title.toLowerCase().includes(o.toLowerCase()))) continue;
    log(`== ${section.title}`);
    const t = Date.now();
    const body = await section.run(log);
    const text = `\n## ${i + 1}. ${section.title}\n\n${body}\n`;
    process.stdout.write(text);
    parts.push(text);
    log(`   (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  parts.push(`\nTotal run time: ${((Date.now() - started) / 1000).toFixed(0)} s. Load average (1/5/15 min) at the start: ${loadBefore}; at the end: ${load()} (${cpus().length} CPUs).\n`);
  if (!only.length) await writeFile(new URL('./results.md', import.meta.url), parts.join('\n'));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
