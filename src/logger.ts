// Structured log lines on stderr. Secrets from the environment are blanked out of every line, so a
// token that ends up in an error message never reaches the log.
import type { Logger } from './core/bot.ts';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN', 'DATABASE_URL'];

export function createLogger(level: Level, env: NodeJS.ProcessEnv = process.env, write = (line: string) => process.stderr.write(line)): Logger {
  const secrets = SECRET_VARIABLES.map((v) => env[v]).filter((v): v is string => Boolean(v && v.length >= 6));
  const redact = (text: string) => secrets.reduce((acc, s) => acc.split(s).join('***'), text);
  const min = LEVELS.indexOf(level);
  const log = (at: Exclude<Level, 'silent'>) => (msg: string, data?: Record<string, unknown>) => {
    if (LEVELS.indexOf(at) < min) return;
    write(`${redact(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...data }))}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
