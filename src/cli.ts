// `partnerbot <subcommand>`: start, shell, import, export, migrate.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createShellAdapter } from '../adapters/shell/index.ts';
import { createBot, registry } from './app.ts';
import { fixedClock, parseInstant, systemClock, type Clock } from './core/clock.ts';
import { ConfigError, describeDatabase, loadConfig, poolSettings, secretValues, type Config } from './config.ts';
import { UsageError, type Adapter, type ChatPlatform } from './core/adapter.ts';
import { count } from './core/count.ts';
import { defaultShellPerson, findActingPerson } from './domain/acting-person.ts';
import { openDatabase, type Database } from './persistence/database.ts';
import { WorkPlanError } from './workplan/errors.ts';
import type { WorkPlan } from './workplan/format.ts';
import { DatabaseOpenError } from './persistence/errors.ts';
import type { ImportReport } from './workplan/import.ts';
import { hostname } from 'node:os';
import type { Db } from './persistence/database.ts';
import type { Probe } from './http/health.ts';
import type { Transport } from './delivery/transport.ts';

const USAGE = `Usage: partnerbot <command> [options]

  start                      start the bot: the shell on the embedded database unless a platform
                             is configured (Slack, Discord or e-mail: then what serve does)
  serve                      the HTTP servers (calendar feeds, /healthz, /readyz, /metrics) and the
                             scheduler, with whichever chat platforms are configured (none needed)
  shell [--as WHO] [--now ISO]
                             talk to the bot in this terminal; reads one command per line when
                             standard input is not a terminal
  import <file.yaml>         import or update a work plan (idempotent)
  export [--out FILE] [--partnership SLUG]
                             write the current state as a work-plan YAML file
  tick --now ISO [--dry-run]  run the scheduler once at that instant and print what was (or would
                             be) sent, to whom, through which channel
  discord register [--guild ID]
                             register the slash commands (/partner, /plan, /plenary, /notify)
                             with Discord (guild: instant)
  discord commands --json    print the commands "discord register" would send
  migrate                    apply database migrations (start-up does this too)
  help                       this text

Environment: DATABASE_URL (PostgreSQL server; default: embedded database in PARTNERBOT_DATA_DIR=./data),
PARTNERBOT_PARTNERSHIP, PARTNERBOT_WORKPLAN, PARTNERBOT_LOG_LEVEL, PARTNERBOT_HTTP_PORT/HOST, PARTNERBOT_OPS_PORT/HOST,
PARTNERBOT_DB_*_MS (README); e-mail: PARTNERBOT_SMTP_URL, PARTNERBOT_MAIL_FROM, PARTNERBOT_DIGEST_TO,
PARTNERBOT_LINK_SECRET (docs/email.md); Slack: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_APP_TOKEN, SLACK_PORT, SLACK_API_URL (docs/slack.md); Discord: DISCORD_TOKEN, DISCORD_APPLICATION_ID,
DISCORD_API_URL, DISCORD_GUILD_ID (docs/discord.md).`;

/**
 * The chat platforms this process can run: every `adapters/<name>/platform.ts` (`.js` once built)
 * that exports a `platform`. Adding a platform is adding its directory; each one whose configuration
 * is set is started.
 */
async function chatPlatforms(): Promise<ChatPlatform[]> {
  const adapters = new URL('../adapters/', import.meta.url);
  const entry = `platform${extname(fileURLToPath(import.meta.url))}`;
  const found: ChatPlatform[] = [];
  for (const dir of readdirSync(adapters, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const module = new URL(`${dir}/${entry}`, adapters);
    if (!existsSync(module)) continue;
    const { platform } = (await import(module.href)) as { platform?: ChatPlatform };
    if (platform) found.push(platform);
  }
  return found;
}

class CliError extends Error {}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The clock `--now` asks for (fixed at that instant in `zone`), or the system clock. */
function clockAt(now: string | undefined, zone: string): Clock {
  if (!now) return systemClock;
  try {
    return fixedClock(parseInstant(now, zone));
  } catch (e) {
    throw new CliError(`--now: ${(e as Error).message}`);
  }
}

/** Why a file cannot be read, in words (never a raw ENOENT). */
function unreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** Reads a work plan; `setting` names where the path came from, for the message when it cannot be read. */
async function readPlan(file: string, setting: string): Promise<WorkPlan> {
  // Loaded here, not at the top: only an import or a first start reads a work plan (and YAML).
  const { loadWorkPlan } = await import('./workplan/load.ts');
  try {
    return await loadWorkPlan(file);
  } catch (e) {
    if (e instanceof WorkPlanError) throw e;
    throw new CliError(`${setting}${file} cannot be read (${unreadable(e)}).`);
  }
}

/** On the very first start the database is empty: seed it with the configured (shipped) work plan. */
async function seedIfEmpty(prisma: Db, config: Config): Promise<void> {
  if ((await prisma.partnership.count()) > 0) return;
  const plan = await readPlan(config.PARTNERBOT_WORKPLAN, 'PARTNERBOT_WORKPLAN=');
  const { importWorkPlan } = await import('./workplan/import.ts');
  const report = await importWorkPlan(prisma, plan);
  say(`First start: imported the work plan ${config.PARTNERBOT_WORKPLAN} (${report.added.length} items).`);
}

/**
 * Opens the configured database. `seed` fills a new one with the work plan: on the embedded database
 * as part of creating it, so a start killed half-way never leaves a database without its plan.
 * `shortLived`: every command but the long-running bot (see openDatabase).
 */
async function open(config: Config, { seed = false, shortLived = false } = {}): Promise<Database> {
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL, pool: poolSettings(config) } : { dataDir: config.PARTNERBOT_DATA_DIR }, {
    shortLived,
    ...(seed ? { seed: (prisma: Db) => seedIfEmpty(prisma, config) } : {}),
    onTakeover: (previous) =>
      say(`Took over ${config.PARTNERBOT_DATA_DIR}: the partnerbot that held it (pid ${previous.pid}, started ${previous.startedAt}) is no longer running.`),
    onWaitForOthers: (n) => say(`Waiting for ${n === 1 ? 'another partnerbot process' : `${n} other partnerbot processes`} using ${config.PARTNERBOT_DATA_DIR} to finish…`),
  });
  try {
    if (seed) await seedIfEmpty(db.prisma, config);
    if (config.PARTNERBOT_PARTNERSHIP && !(await db.prisma.partnership.findUnique({ where: { slug: config.PARTNERBOT_PARTNERSHIP } }))) {
      const slugs = (await db.prisma.partnership.findMany({ select: { slug: true }, orderBy: { slug: 'asc' }, take: 10 })).map((p) => p.slug);
      throw new CliError(`PARTNERBOT_PARTNERSHIP=${config.PARTNERBOT_PARTNERSHIP}: no such partnership (${slugs.length ? `the database has ${slugs.join(', ')}` : 'the database has none yet'}).`);
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

function printReport(report: ImportReport, quiet = false): void {
  const total = report.added.length + report.changed.length + report.removed.length;
  if (total === 0 && report.kept.length) say(`Nothing to change: the database matches the file, but for ${count(report.kept.length, 'change')} made in chat, which it keeps.`);
  else if (total === 0) say('Nothing to change: the database already matches the file.');
  else say(`Added ${report.added.length}, changed ${report.changed.length}, removed ${report.removed.length}.`);
  if (quiet) return;
  for (const [label, list] of [['+', report.added], ['~', report.changed], ['-', report.removed], ['!', report.kept]] as const) {
    for (const item of list) say(`  ${label} ${item}`);
  }
}

async function shell(config: Config, argv: string[], interactiveDefault: boolean): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { as: { type: 'string' }, now: { type: 'string' } }, allowPositionals: false });
  const db = await open(config, { seed: true, shortLived: true });
  try {
    const probe = createBot({ db: db.prisma, clock: systemClock, publicUrl: config.PARTNERBOT_PUBLIC_URL, ...(config.PARTNERBOT_PARTNERSHIP ? { defaultPartnership: config.PARTNERBOT_PARTNERSHIP } : {}) });
    const partnership = await probe.partnershipFor({ platform: 'shell', workspaceId: 'local' });
    const clock = clockAt(values.now, partnership.timeZone);
    const bot = createBot({ db: db.prisma, clock, publicUrl: config.PARTNERBOT_PUBLIC_URL, defaultPartnership: partnership.slug });
    const acting = values.as === undefined ? { person: await defaultShellPerson(db.prisma, partnership.id) } : await findActingPerson(db.prisma, partnership.id, values.as);
    if ('problem' in acting) throw new CliError(`--as: ${acting.problem}`);
    const { person } = acting;
    const interactive = interactiveDefault && Boolean(process.stdin.isTTY);
    if (interactive) say(`Database: ${describeDatabase(config)}. Clock: ${values.now ? `fixed at ${clock.now().toISOString()}` : 'system'}.`);
    const session = createShellAdapter({ bot, input: process.stdin, output: process.stdout, person, interactive });
    await session.start();
    await session.finished;
  } finally {
    await db.close();
  }
}

/**
 * The long-running process until SIGINT/SIGTERM: the HTTP servers, the scheduler and every configured
 * chat platform. With none configured the scheduler delivers to the log.
 */
async function serve(config: Config, platforms: ChatPlatform[]): Promise<void> {
  // Loaded here, not at the top: a shell, an import or an export never needs them.
  const [{ createLogger }, { databaseProbe, registerHealthRoutes }, { createHttpServer }, { registerCalendarRoutes }, metrics, { Dispatcher }, { Scheduler }, { LogTransport }] =
    await Promise.all([
      import('./logger.ts'),
      import('./http/health.ts'),
      import('./http/server.ts'),
      import('./http/calendar-feed.ts'),
      import('./metrics.ts'),
      import('./scheduler/dispatcher.ts'),
      import('./scheduler/scheduler.ts'),
      import('./delivery/transport.ts'),
    ]);
  const { collectProcessMetrics, commandObserver, metricsRegistry, observeTick, recordNotification, setOutboxDepth } = metrics;
  const logger = createLogger(config.PARTNERBOT_LOG_LEVEL, secretValues(config));
  const db = await open(config, { seed: true });
  collectProcessMetrics();
  const bot = createBot({ db: db.prisma, clock: systemClock, logger, publicUrl: config.PARTNERBOT_PUBLIC_URL, onCommand: commandObserver(), ...(config.PARTNERBOT_PARTNERSHIP ? { defaultPartnership: config.PARTNERBOT_PARTNERSHIP } : {}) });
  // Created (their SDKs loaded) before anything listens, so that once /readyz lists an adapter it is
  // already connecting.
  const created = await Promise.all(platforms.filter((p) => p.configured(config)).map((p) => p.create({ bot, logger, config }))).catch(async (e: unknown) => {
    await db.close();
    throw new CliError(`could not connect: ${e instanceof Error ? e.message : String(e)}`);
  });
  const stops: (() => Promise<void>)[] = [];
  const transports: Transport[] = [];
  // Listening before the adapters connect: /healthz answers during start-up, /readyz is 503 until they are in.
  const adapters: Record<string, Probe> = {};
  // Feeds are for calendar apps anywhere; health and metrics only for the orchestrator and scraper.
  const http = createHttpServer({ port: config.PARTNERBOT_HTTP_PORT, host: config.PARTNERBOT_HTTP_HOST }, logger);
  registerCalendarRoutes(http, db.prisma, systemClock);
  const [{ registerActionLinkRoutes }, { linkSecret }] = await Promise.all([import('./http/action-links.ts'), import('./delivery/action-links.ts')]);
  // Mounted whatever is configured: links in e-mails already sent keep working after e-mail is turned off.
  registerActionLinkRoutes(http, { bot, clock: systemClock, logger, secret: await linkSecret(db.prisma, config.PARTNERBOT_LINK_SECRET) });
  const ops = createHttpServer({ port: config.PARTNERBOT_OPS_PORT, host: config.PARTNERBOT_OPS_HOST }, logger);
  registerHealthRoutes(ops, { database: databaseProbe(db.prisma), adapters, registry: metricsRegistry });
  try {
    for (const [name, server, host] of [['http', http, config.PARTNERBOT_HTTP_HOST], ['ops', ops, config.PARTNERBOT_OPS_HOST]] as const) {
      const { port } = await server.listen();
      stops.push(() => server.close());
      logger.info(`${name} listening`, { port, host });
    }
    for (const adapter of created) {
      adapters[adapter.name] = () => adapter.isReady();
      // Registered before start(): one that fails half-way is still cleaned up.
      stops.push(() => adapter.stop());
      await adapter.start();
      transports.push(adapter.transport);
    }
  } catch (e) {
    await Promise.allSettled(stops.map((stop) => stop()));
    await db.close();
    throw new CliError(`could not connect: ${e instanceof Error ? e.message : String(e)}`);
  }
  const dispatcher = new Dispatcher({
    db: db.prisma,
    clock: systemClock,
    transports,
    // A service's output is its log: with no chat platform, notifications are log lines.
    log: new LogTransport((line) => logger.info('notification (no chat platform configured)', { message: line })),
    logger,
    workerId: `${hostname()}:${process.pid}`,
    onOutcome: (kind, outcome) => {
      if (outcome !== 'retry') recordNotification(kind, outcome);
    },
  });
  const scheduler = new Scheduler(bot, dispatcher, logger, (ms, pending) => {
    observeTick(ms);
    setOutboxDepth(pending);
  });
  scheduler.start();
  // The scheduler stops first: it finishes the tick in progress while the adapters can still deliver.
  stops.unshift(() => scheduler.stop());
  logger.info('partnerbot running', { database: describeDatabase(config) });
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  logger.info('shutting down');
  await Promise.allSettled(stops.map((stop) => stop()));
  await db.close();
}

/** One scheduler tick at a chosen instant; with --dry-run, in a transaction that is rolled back. */
async function tick(config: Config, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { now: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const [{ DateTime }, { Dispatcher, planOptionsFor }, { planAll, Scheduler }, { renderText }, { summary }, { createLogger }] = await Promise.all([
    import('luxon'),
    import('./scheduler/dispatcher.ts'),
    import('./scheduler/scheduler.ts'),
    import('./delivery/plain-text.ts'),
    import('./delivery/transport.ts'),
    import('./logger.ts'),
  ]);
  const db = await open(config, { seed: true, shortLived: true });
  // Platforms that hold no connection open (e-mail) deliver from a one-off tick; the others' notices
  // are printed instead.
  const oneOff = (await chatPlatforms()).filter((p) => p.deliversFromTick && p.configured(config));
  const adapters: Adapter[] = [];
  try {
    const zone = (await db.prisma.partnership.findFirst({ orderBy: { createdAt: 'asc' } }))?.timeZone ?? 'Europe/Brussels';
    const clock = clockAt(values.now, zone);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('ccc d LLL yyyy HH:mm');
    out(`Tick at ${local(clock.now())} (${zone})${values['dry-run'] ? ' — dry run, nothing is written or sent' : ''}`);
    const bot = createBot({ db: db.prisma, clock, publicUrl: config.PARTNERBOT_PUBLIC_URL });
    const logger = createLogger(config.PARTNERBOT_LOG_LEVEL, secretValues(config));
    for (const platform of oneOff) adapters.push(await platform.create({ bot, config, logger }));
    const transports = adapters.map((a) => a.transport);
    if (values['dry-run']) {
      const rollback = new Error('dry run');
      const planned = await db.prisma
        .$transaction(async (tx) => {
          const result = await planAll(createBot({ db: tx as unknown as Db, clock, publicUrl: config.PARTNERBOT_PUBLIC_URL }), undefined, planOptionsFor(transports));
          throw Object.assign(rollback, { result });
        })
        .catch((e: unknown) => {
          if (e === rollback) return (rollback as Error & { result: Awaited<ReturnType<typeof planAll>> }).result;
          throw e;
        });
      const names = new Map((await db.prisma.person.findMany({ select: { id: true, name: true } })).map((p) => [p.id, p.name]));
      for (const p of planned.planned) {
        const to = p.personId ? `${names.get(p.personId)} (DM, else A${p.actionNumber} channel)` : p.target ? `${p.target.channelId} (${p.target.platform})` : p.scope === 'action' ? `A${p.actionNumber} channel` : `${p.scope} channel`;
        out(`${p.skipReason ? 'skip' : 'send'} ${p.kind}${p.late ? ' (late)' : ''} → ${to}: ${summary(p.payload)}${p.skipReason ? ` [${p.skipReason}]` : ''}`);
        if (!p.skipReason) out(renderText(p.payload).replace(/^/gm, '    '));
      }
      for (const s of planned.stale) out(`skip (stale) ${s.reason}`);
      out(`${planned.planned.length} notifications would be created, ${planned.stale.length} skipped as stale.`);
      return;
    }
    const dispatcher = new Dispatcher({ db: db.prisma, clock, transports, workerId: `tick:${process.pid}` });
    const result = await new Scheduler(bot, dispatcher).tick();
    for (const d of result.deliveries.filter((x) => x.outcome !== 'sent')) out(`${d.outcome} ${d.kind} → ${d.to}${d.error ? `: ${d.error}` : ''}`);
    out(`${result.planned.length} notifications created, ${result.deliveries.filter((d) => d.outcome === 'sent').length} sent, ${result.stale.length} skipped as stale.`);
  } finally {
    await Promise.allSettled(adapters.map((a) => a.stop()));
    await db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const platforms = await chatPlatforms();
      if (platforms.some((p) => p.configured(config))) await serve(config, platforms);
      else await shell(config, rest, true);
      return 0;
    }
    case 'serve':
      await serve(config, await chatPlatforms());
      return 0;
    case 'shell':
      await shell(config, rest, true);
      return 0;
    case 'tick':
      await tick(config, rest);
      return 0;
    case 'import': {
      const file = rest[0];
      if (!file) throw new CliError('import needs a file: partnerbot import <file.yaml>');
      const plan = await readPlan(file, '');
      const [db, { importWorkPlan }] = await Promise.all([open(config, { shortLived: true }), import('./workplan/import.ts')]);
      try {
        printReport(await importWorkPlan(db.prisma, plan, { file }));
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'export': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, partnership: { type: 'string' } } });
      const db = await open(config, { shortLived: true });
      try {
        const slug = values.partnership ?? config.PARTNERBOT_PARTNERSHIP;
        const partnership = slug
          ? await db.prisma.partnership.findUnique({ where: { slug } })
          : await db.prisma.partnership.findFirst({ orderBy: { createdAt: 'asc' } });
        if (!partnership) throw new CliError(slug ? `no partnership "${slug}"` : 'the database has no partnership yet');
        const { exportWorkPlanYaml } = await import('./workplan/export.ts');
        const yaml = await exportWorkPlanYaml(db.prisma, partnership.id);
        if (values.out) {
          await writeFile(values.out, yaml);
          say(`Wrote ${values.out}`);
        } else process.stdout.write(yaml);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'migrate': {
      const db = await open(config, { shortLived: true });
      await db.close();
      say(`Database is up to date (${describeDatabase(config)}).`);
      return 0;
    }
    default: {
      const platform = (await chatPlatforms()).find((p) => p.name === command && p.command);
      if (!platform?.command) throw new CliError(`unknown command "${command}". Try: partnerbot help`);
      await platform.command(rest, { config, registry, print: (text) => process.stdout.write(text), say });
      return 0;
    }
  }
}

// A reader that stops reading (`partnerbot shell | head`) ends the work quietly: input stops, the
// database closes normally, no stack trace.
let outputClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE' && !outputClosed) throw e;
  outputClosed = true;
  process.stdin.destroy();
});

/** Resolves once everything written so far has left the process: process.exit drops what a pipe has not taken. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream === process.stdout && outputClosed) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

async function exit(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null) return JSON.stringify(e);
  return String(e);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (e: unknown) => {
    const known =
      e instanceof ConfigError ||
      e instanceof CliError ||
      e instanceof UsageError ||
      e instanceof WorkPlanError ||
      e instanceof DatabaseOpenError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'));
    say(`partnerbot: ${describeError(e)}`);
    return exit(known ? 2 : 1);
  },
);
