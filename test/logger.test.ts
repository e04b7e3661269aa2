// The service log as an operator reads it: one JSON object per line, more of them at debug level,
// and a database error as one line saying what failed, not Prisma's multi-line text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../src/core/bot.ts';
import { registry as commands } from '../src/app.ts';
import { loadConfig, secretValues } from '../src/config.ts';
import { createLogger, oneLineError } from '../src/logger.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture();
});
afterAll(async () => {
  await f?.db.drop();
});

function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, [], (line) => void lines.push(JSON.parse(line) as Record<string, unknown>));
  return { logger, lines };
}

const user = { platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'u' } as const;

describe('log levels', () => {
  it('debug shows every command answered; info does not', async () => {
    const debug = capture('debug');
    const info = capture('info');
    for (const { logger } of [debug, info]) await new Bot({ db: f.db.prisma, clock: f.clock, registry: commands, logger }).handle({ ...user, text: 'due --days x' });
    expect(debug.lines).toEqual([expect.objectContaining({ level: 'debug', msg: 'command answered', command: 'due', outcome: 'user_error', platform: 'slack' })]);
    expect(info.lines).toEqual([]);
  });
});

describe('database errors in the log', () => {
  it('turn Prisma\'s call header, source path and code frame into one line with the call and the cause', () => {
    const prisma = '\nInvalid `prisma.action.findMany()` invocation in\n/srv/partnerbot/commands/actions.ts:31:42\n\n  28 export async function list(ctx) {\n  29   const db = ctx.db;\n→ 31   const rows = await db.action.findMany({\n\nThe table `public.Action` does not exist in the current database.';
    expect(oneLineError(prisma)).toBe('prisma.action.findMany(): The table `public.Action` does not exist in the current database.');
    expect(oneLineError('plain message')).toBe('plain message');
  });

  // Through node-postgres (DATABASE_URL) Prisma reports this with the caller's path and a code frame;
  // the embedded database's adapter already gives one line.
  it('a command that fails in the database logs one line, without source paths', async () => {
    const { logger, lines } = capture('info');
    const bot = new Bot({ db: f.db.prisma, clock: f.clock, registry: commands, logger });
    await f.db.sql.exec('ALTER TABLE "Action" RENAME TO "ActionGone"');
    try {
      await bot.handle({ ...user, text: 'actions' });
    } finally {
      await f.db.sql.exec('ALTER TABLE "ActionGone" RENAME TO "Action"');
    }
    const failure = lines.find((l) => l.msg === 'command failed')!;
    expect(failure).toMatchObject({ level: 'error', command: 'actions' });
    const error = String(failure.error);
    expect(error).toMatch(/Action/);
    expect(error).not.toMatch(/\n|\.ts:\d+|→/);
  });
});

describe('secrets in the log', () => {
  it('blanks every configured secret value wherever a message quotes it, and a URL\'s password', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bot-token-value',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_APP_TOKEN: 'xapp-app-token-value',
      DISCORD_TOKEN: 'discord-token-value',
      DISCORD_APPLICATION_ID: '123',
      DATABASE_URL: 'postgresql://bot:db-password@db.example.org/partnerbot',
    });
    const lines: string[] = [];
    const logger = createLogger('info', secretValues(config), (line) => void lines.push(line));
    logger.error('call failed', { error: new Error(`rejected ${Object.values(config).join(' ')}`) });
    expect(lines).toHaveLength(1);
    for (const secret of ['xoxb-bot-token-value', 'signing-secret-value', 'xapp-app-token-value', 'discord-token-value', 'db-password']) expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('***');
  });
});
