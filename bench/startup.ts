// (6) Start-up and memory: what one process costs to start and to keep, each beside the floor of the
// least that process could do, measured in the same run: a one-command shell call beside a bare
// Prisma client (server) or bare PGlite (embedded) opening the database and running one query; a
// command's p50 beside `SELECT 1`; the idle Slack service beside a bare Bolt app.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { FakeSlack } from '../test/slack/fake-slack.ts';
import { benchBot, checkedHandle } from './commands.ts';
import { availableKinds, benchDatabase, seedShippedPlan } from './databases.ts';
import type { Section } from './run.ts';
import { ms, ratio, sample, summarize, table } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'bin/partnerbot.mjs');
const PEAK = join(ROOT, 'bench/floors/peak-rss.mjs');
const floor = (name: string) => join(ROOT, 'bench/floors', name);
const RUNS = Math.max(3, Math.round(Number(process.env.BENCH_SAMPLES ?? 100) / 20));
const LATENCY_SAMPLES = 2 * Number(process.env.BENCH_SAMPLES ?? 100);
const COMMANDS = ['actions', 'due', 'me'];

interface ProcessCost {
  ms: number;
  rssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a Node process to its end: wall time from spawn to exit, and its peak RSS. */
function measure(args: string[], env: Record<string, string>, input = ''): ProcessCost {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peak-'));
  try {
    const peakFile = join(dir, 'peak');
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', PEAK, ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env, BENCH_PEAK_RSS_TO: peakFile }, cwd: dir });
    const elapsed = performance.now() - started;
    if (run.status !== 0) throw new Error(`bench: ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    return { ms: elapsed, rssMb: Number(readFileSync(peakFile, 'utf8')) / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures `a` and `b` in alternating runs (drift in the machine's load falls on both alike); medians. */
function alternating(a: () => ProcessCost, b: () => ProcessCost): [ProcessCost, ProcessCost] {
  a();
  b();
  const as: ProcessCost[] = [];
  const bs: ProcessCost[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(a());
    bs.push(b());
  }
  const med = (xs: ProcessCost[]) => ({ ms: median(xs.map((x) => x.ms)), rssMb: median(xs.map((x) => x.rssMb)) });
  return [med(as), med(bs)];
}

/** Whether bin/partnerbot.mjs runs dist/ (as built by `npm install`) or the sources through tsx (its rule, repeated). */
function mode(): string {
  const compiled = join(ROOT, 'dist/src/cli.js');
  if (!existsSync(compiled)) return 'the sources through tsx (no dist/: run `npm run build`)';
  const sources = ['src', 'commands', 'adapters'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(ROOT, dir, f)).mtimeMs),
  );
  return statSync(compiled).mtimeMs >= Math.max(...sources) ? 'the compiled dist/' : 'the sources through tsx (dist/ is older than a source: run `npm run build`)';
}

const SHELL = ['shell', '--now', '2025-11-20'];
const ONE_COMMAND = 'due\n';

async function scratchServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL!;
  const name = `bench_startup_${process.pid}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** RSS of a running process, from /proc (Linux). */
function rssMbOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Starts a long-running process, waits for `ready` on its output, lets it idle, and reads its RSS. */
async function idleRss(args: string[], env: Record<string, string>, ready: RegExp): Promise<number> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench: ${args.join(' ')} not ready in 120 s: ${seen.slice(-500)}`)), 120_000);
      const look = (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (ready.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      child.once('exit', (code) => reject(new Error(`bench: ${args.join(' ')} exited ${code}: ${seen.slice(-500)}`)));
    });
    await sleep(5000);
    return rssMbOf(child.pid!);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export const startupAndMemory: Section = {
  title: 'Start-up and memory',
  async run(log) {
    const rows: (string | number)[][] = [];
    const notes: string[] = [`bin/partnerbot.mjs ran ${mode()}. Process figures are medians of ${RUNS} alternating runs after one unmeasured run of each; time is from spawn to exit, RSS the peak.`];
    const add = (what: string, value: string, floorWhat: string, floorValue: string, r: string, target: string, met: boolean | undefined) =>
      rows.push([what, value, floorWhat, floorValue, r, target, met === undefined ? '' : met ? 'yes' : '**no**']);

    if (availableKinds().includes('postgres')) {
      const db = await scratchServerDatabase();
      try {
        const env = { DATABASE_URL: db.url };
        spawnSync(process.execPath, [CLI, 'migrate'], { env: { PATH: process.env.PATH ?? '', ...env } });
        measure([CLI, ...SHELL], env, ONE_COMMAND); // the first start imports the plan
        const [shell, bare] = alternating(() => measure([CLI, ...SHELL], env, ONE_COMMAND), () => measure([floor('prisma-query.mjs'), db.url], {}));
        log(`  server: shell ${ms(shell.ms)} ms ${shell.rssMb.toFixed(0)} MB; bare Prisma ${ms(bare.ms)} ms ${bare.rssMb.toFixed(0)} MB`);
        add('one-command shell call (`due`), PostgreSQL: time', `${ms(shell.ms)} ms`, 'bare Prisma client: connect + `SELECT 1`', `${ms(bare.ms)} ms`, ratio(shell.ms, bare.ms), '≤ 2×', shell.ms <= 2 * bare.ms);
        add('the same: peak RSS', `${shell.rssMb.toFixed(0)} MB`, 'the same', `${bare.rssMb.toFixed(0)} MB`, ratio(shell.rssMb, bare.rssMb), '≤ 1.5×', shell.rssMb <= 1.5 * bare.rssMb);
        const sources = median(Array.from({ length: 3 }, () => measure(['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli.ts'), ...SHELL], env, ONE_COMMAND).ms));
        notes.push(`The same shell call from the sources through tsx (what every process paid before the build): ${ms(sources)} ms (median of 3).`);

        const fake = new FakeSlack();
        await fake.start();
        try {
          const dataDir = mkdtempSync(join(tmpdir(), 'bench-idle-'));
          const service = await idleRss(
            [CLI, 'start'],
            { ...env, PARTNERBOT_DATA_DIR: dataDir, PARTNERBOT_HTTP_PORT: '0', PARTNERBOT_OPS_PORT: '0', SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_PORT: '0', SLACK_API_URL: fake.apiUrl },
            /slack listening/,
          );
          rmSync(dataDir, { recursive: true, force: true });
          const bolt = await idleRss([floor('bare-bolt.mjs'), fake.apiUrl], {}, /listening/);
          log(`  idle: service ${service.toFixed(0)} MB, bare Bolt ${bolt.toFixed(0)} MB`);
          add('`partnerbot start`, Slack connected (stand-in), PostgreSQL, idle: RSS', `${service.toFixed(0)} MB`, 'bare Bolt app, idle', `${bolt.toFixed(0)} MB`, ratio(service, bolt), 'reported', undefined);
        } finally {
          await fake.stop();
        }
      } finally {
        await db.drop();
      }
    }

    const dir = mkdtempSync(join(tmpdir(), 'bench-embedded-'));
    try {
      const dataDir = join(dir, 'data');
      const env = { PARTNERBOT_DATA_DIR: dataDir };
      measure([CLI, ...SHELL], env, ONE_COMMAND); // creates the database and imports the plan
      // The floor opens a copy: PGlite's own files, without partnerbot's lock and socket beside them.
      const bareDir = join(dir, 'bare');
      cpSync(join(dataDir, 'pgdata'), bareDir, { recursive: true });
      const [shell, bare] = alternating(() => measure([CLI, ...SHELL], env, ONE_COMMAND), () => measure([floor('pglite-open.mjs'), bareDir], {}));
      log(`  embedded: shell ${ms(shell.ms)} ms ${shell.rssMb.toFixed(0)} MB; bare PGlite ${ms(bare.ms)} ms ${bare.rssMb.toFixed(0)} MB`);
      add('one-command shell call (`due`), embedded: time', `${ms(shell.ms)} ms`, 'bare PGlite: open the directory + `SELECT 1`', `${ms(bare.ms)} ms`, ratio(shell.ms, bare.ms), '≤ 1.25×', shell.ms <= 1.25 * bare.ms);
      add('the same: peak RSS', `${shell.rssMb.toFixed(0)} MB`, 'the same', `${bare.rssMb.toFixed(0)} MB`, ratio(shell.rssMb, bare.rssMb), '≤ 1.25×', shell.rssMb <= 1.25 * bare.rssMb);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    for (const kind of availableKinds()) {
      const db = await benchDatabase(kind);
      try {
        const bot = benchBot(db, await seedShippedPlan(db));
        const selectOne = summarize(await sample(LATENCY_SAMPLES, () => db.prisma.$queryRaw`SELECT 1`));
        for (const command of COMMANDS) {
          const s = summarize(await sample(LATENCY_SAMPLES, () => checkedHandle(bot, command)));
          log(`  ${kind} ${command}: p50 ${ms(s.p50)} ms (SELECT 1 ${ms(selectOne.p50)} ms)`);
          add(`\`${command}\` p50, ${db.label}`, `${ms(s.p50)} ms`, '`SELECT 1` p50', `${ms(selectOne.p50)} ms`, ratio(s.p50, selectOne.p50), '≤ 10×', s.p50 <= 10 * selectOne.p50);
        }
      } finally {
        await db.dispose();
      }
    }
    notes.push(`Command p50: ${LATENCY_SAMPLES} sequential runs after 20 unmeasured ones, through Bot.handle, shipped plan, a linked Slack user.`);
    return [...notes, '', table(['measure', 'partnerbot', 'floor', 'floor value', 'ratio', 'target', 'met'], rows)].join('\n');
  },
};
