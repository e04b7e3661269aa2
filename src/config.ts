// Configuration comes from the environment and is checked once at start-up: a bad value stops the
// program with one line naming the variable and what it expects. Secrets are never printed.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const SHIPPED_WORKPLAN = fileURLToPath(new URL('../workplans/inclusion-of-migrants-2024-2027.yaml', import.meta.url));

const optionalNonEmpty = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const schema = z.object({
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL').optional(),
  ),
  PARTNERBOT_DATA_DIR: z.string().min(1).default('./data'),
  PARTNERBOT_PARTNERSHIP: optionalNonEmpty,
  PARTNERBOT_WORKPLAN: z.string().min(1).default(SHIPPED_WORKPLAN),
  PARTNERBOT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
