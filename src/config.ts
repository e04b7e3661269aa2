// Configuration comes from the environment and is checked once at start-up: a bad value stops the
// program with one line naming the variable and what it expects. Secrets are never printed.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const SHIPPED_WORKPLAN = fileURLToPath(new URL('../workplans/inclusion-of-migrants-2024-2027.yaml', import.meta.url));

/** An unset variable and one set to the empty string mean the same: not configured. */
const unlessEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const optionalNonEmpty = unlessEmpty(z.string());

const schema = z.object({
  DATABASE_URL: unlessEmpty(z.string().regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')),
  PARTNERBOT_DATA_DIR: z.string().min(1).default('./data'),
  PARTNERBOT_PARTNERSHIP: optionalNonEmpty,
  PARTNERBOT_WORKPLAN: z.string().min(1).default(SHIPPED_WORKPLAN),
  PARTNERBOT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PARTNERBOT_PUBLIC_URL: unlessEmpty(z.url({ protocol: /^https?$/ })),
  SLACK_BOT_TOKEN: unlessEmpty(z.string().regex(/^xoxb-/, 'a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: optionalNonEmpty,
  SLACK_APP_TOKEN: unlessEmpty(z.string().regex(/^xapp-/, 'an app-level token starting with xapp-')),
  SLACK_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DISCORD_TOKEN: optionalNonEmpty,
  DISCORD_APPLICATION_ID: unlessEmpty(z.string().regex(/^\d{1,20}$/, 'a numeric Discord application id')),
}).superRefine((c, ctx) => {
  // Socket Mode (an app token) needs no signing secret; the HTTP receiver cannot work without one.
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN)
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'set (the app\'s signing secret), or SLACK_APP_TOKEN for Socket Mode, when SLACK_BOT_TOKEN is set' });
  if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN)
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'set (a bot token starting with xoxb-) when other SLACK_ variables are set' });
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID)
    ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'set (the numeric application id) when DISCORD_TOKEN is set' });
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`configuration: ${String(issue.path[0])} must be ${issue.message.replace(/^Invalid (input|string): /i, '')}`);
  }
  return result.data;
}

export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `embedded PostgreSQL in ${config.PARTNERBOT_DATA_DIR}`;
  // Never print credentials: host and database name are enough to know where we are.
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
