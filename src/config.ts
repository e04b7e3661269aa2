// Configuration comes from the environment and is checked once at start-up: a bad value stops the
// program with one line naming the variable and what it expects. Secrets are never printed.
import { z } from 'zod';
import { packageFile } from './package-files.ts';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from './persistence/pg-pool.ts';

// The one place that reads the environment: everything else is handed the checked Config.

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

export const SHIPPED_WORKPLAN = packageFile('workplans/inclusion-of-migrants-2024-2027.yaml');

/** An unset variable and one set to the empty string mean the same: not configured. */
const unlessEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const optionalNonEmpty = unlessEmpty(z.string());
const port = (fallback: number) =>
  unlessEmpty(z.string().trim().regex(/^\d{1,5}$/, 'a port number (0-65535)').transform(Number).refine((n) => n <= 65535, 'a port number (0-65535)')).default(fallback);
const millis = (fallback: number) => unlessEmpty(z.string().trim().regex(/^\d{1,9}$/, 'a number of milliseconds').transform(Number)).default(fallback);
const host = (fallback: string) => unlessEmpty(z.string().trim().min(1)).default(fallback);

/** A plain address (no display name, no angle brackets): it is written into headers as it is. */
const EMAIL_ADDRESS = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

const schema = z.object({
  DATABASE_URL: unlessEmpty(z.string().regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')),
  PARTNERBOT_DATA_DIR: z.string().min(1).default('./data'),
  PARTNERBOT_PARTNERSHIP: optionalNonEmpty,
  PARTNERBOT_WORKPLAN: z.string().min(1).default(SHIPPED_WORKPLAN),
  PARTNERBOT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Feed URLs are this plus a path, so a trailing slash would double up.
  PARTNERBOT_PUBLIC_URL: unlessEmpty(z.url({ protocol: /^https?$/ }))
    .default(DEFAULT_PUBLIC_URL)
    .transform((url) => url.replace(/\/+$/, '')),
  // Public: the calendar feeds. Private (loopback unless opened up): /healthz, /readyz, /metrics.
  PARTNERBOT_HTTP_PORT: port(8080),
  PARTNERBOT_HTTP_HOST: host('0.0.0.0'),
  PARTNERBOT_OPS_PORT: port(9090),
  PARTNERBOT_OPS_HOST: host('127.0.0.1'),
  // PostgreSQL server only (see docs/operations.md): a silent network must fail fast, not hang the pool.
  PARTNERBOT_DB_CONNECT_TIMEOUT_MS: millis(DEFAULT_POOL_SETTINGS.connectTimeoutMs),
  PARTNERBOT_DB_ACQUIRE_TIMEOUT_MS: millis(DEFAULT_POOL_SETTINGS.acquireTimeoutMs),
  PARTNERBOT_DB_STATEMENT_TIMEOUT_MS: millis(DEFAULT_POOL_SETTINGS.statementTimeoutMs),
  PARTNERBOT_DB_KEEPALIVE_MS: millis(DEFAULT_POOL_SETTINGS.keepAliveMs),
  SLACK_BOT_TOKEN: unlessEmpty(z.string().regex(/^xoxb-/, 'a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: optionalNonEmpty,
  SLACK_APP_TOKEN: unlessEmpty(z.string().regex(/^xapp-/, 'an app-level token starting with xapp-')),
  SLACK_PORT: port(3000),
  // Slack's Web API base: https://slack.com/api/ unless set (GovSlack: https://slack-gov.com/api/).
  SLACK_API_URL: unlessEmpty(z.url({ protocol: /^https?$/ })),
  DISCORD_TOKEN: unlessEmpty(z.string().trim().min(1, 'a bot token')),
  DISCORD_APPLICATION_ID: unlessEmpty(z.string().regex(/^\d{1,20}$/, 'a numeric Discord application id')),
  // Discord's REST base: https://discord.com/api unless set (a proxy, or a stand-in under test).
  DISCORD_API_URL: unlessEmpty(z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''))),
  /** The server `discord register` registers in when --guild is not given. */
  DISCORD_GUILD_ID: unlessEmpty(z.string().trim().regex(/^\d{1,20}$/, 'a Discord server id (a number)')),
  // E-mail (adapters/email, docs/email.md): smtp:// upgrades with STARTTLS, smtps:// is TLS from the start.
  PARTNERBOT_SMTP_URL: unlessEmpty(z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL (smtp://user:pass@relay.example.org:587)' })),
  PARTNERBOT_MAIL_FROM: unlessEmpty(z.string().trim().regex(EMAIL_ADDRESS, 'an e-mail address (bot@partnership.example.org)')),
  /** The partnership's list: the weekly digest goes there as well as to the partnership channel. */
  PARTNERBOT_DIGEST_TO: unlessEmpty(z.string().trim().regex(EMAIL_ADDRESS, 'an e-mail address (the partnership\'s list)')),
  /**
   * Where bounces go: each message's envelope sender is this address with the outbox row's id
   * (bounces+<id>@domain), and a DSN sent back to it marks that row failed. The bot reads them on
   * PARTNERBOT_BOUNCE_PORT (the relay delivers mail for the address there).
   */
  PARTNERBOT_BOUNCE_ADDRESS: unlessEmpty(z.string().trim().regex(EMAIL_ADDRESS, 'an e-mail address (bounces@partnership.example.org)')),
  PARTNERBOT_BOUNCE_PORT: port(2525),
  PARTNERBOT_BOUNCE_HOST: host('127.0.0.1'),
  /** Signs the action links in e-mails; unset, a random one is kept in the database. */
  PARTNERBOT_LINK_SECRET: unlessEmpty(z.string().min(32, 'at least 32 characters (e.g. openssl rand -hex 32)')),
}).superRefine((c, ctx) => {
  // Socket Mode (an app token) needs no signing secret; the HTTP receiver cannot work without one.
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN)
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'set (the app\'s signing secret), or SLACK_APP_TOKEN for Socket Mode, when SLACK_BOT_TOKEN is set' });
  if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN)
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'set (a bot token starting with xoxb-) when other SLACK_ variables are set' });
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID)
    ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'set (the numeric application id) when DISCORD_TOKEN is set' });
  if (c.PARTNERBOT_SMTP_URL && !c.PARTNERBOT_MAIL_FROM)
    ctx.addIssue({ code: 'custom', path: ['PARTNERBOT_MAIL_FROM'], message: 'set (the From address) when PARTNERBOT_SMTP_URL is set' });
  if ((c.PARTNERBOT_MAIL_FROM || c.PARTNERBOT_DIGEST_TO || c.PARTNERBOT_BOUNCE_ADDRESS) && !c.PARTNERBOT_SMTP_URL)
    ctx.addIssue({ code: 'custom', path: ['PARTNERBOT_SMTP_URL'], message: 'set (smtp://user:pass@relay:587) when other e-mail settings are set' });
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // zod's own wording for a bad enum value ("Invalid option: expected one of ...") reads badly after "must be".
    const expected = issue.code === 'invalid_value' ? `one of ${issue.values.join(', ')}` : issue.message.replace(/^Invalid (input|string): /i, '');
    throw new ConfigError(`configuration: ${String(issue.path[0])} must be ${expected}`);
  }
  return result.data;
}

/** The values a log line must never show, whatever message quotes them. */
export function secretValues(config: Config): string[] {
  return [
    config.SLACK_BOT_TOKEN,
    config.SLACK_SIGNING_SECRET,
    config.SLACK_APP_TOKEN,
    config.DISCORD_TOKEN,
    config.DATABASE_URL,
    config.PARTNERBOT_SMTP_URL,
    smtpPassword(config),
    config.PARTNERBOT_LINK_SECRET,
  ].filter((v): v is string => Boolean(v));
}

/** The password in PARTNERBOT_SMTP_URL, decoded as nodemailer will use it (a log line may quote either form). */
function smtpPassword(config: Config): string | undefined {
  if (!config.PARTNERBOT_SMTP_URL) return undefined;
  const { password } = new URL(config.PARTNERBOT_SMTP_URL);
  return password ? decodeURIComponent(password) : undefined;
}

export function poolSettings(config: Config): PoolSettings {
  return {
    connectTimeoutMs: config.PARTNERBOT_DB_CONNECT_TIMEOUT_MS,
    acquireTimeoutMs: config.PARTNERBOT_DB_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: config.PARTNERBOT_DB_STATEMENT_TIMEOUT_MS,
    keepAliveMs: config.PARTNERBOT_DB_KEEPALIVE_MS,
  };
}

export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `embedded PostgreSQL in ${config.PARTNERBOT_DATA_DIR}`;
  // Never print credentials: host and database name are enough to know where we are.
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
