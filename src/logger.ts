// Services log JSON lines (pino) on stderr, one object per event, for a log collector to index.
// Secrets are kept out twice over: known secret fields are censored by name, and the values of the
// secret settings (and any password inside a URL) are blanked out of the finished line,
// so a token quoted inside an error message never reaches the log either.
import { pino } from 'pino';
import type { Logger } from './core/bot.ts';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

const SECRET_FIELDS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'password', 'authorization', 'cookie', 'DATABASE_URL'];

const CENSOR = '***';

// scheme://user:password@host → scheme://user:***@host
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*):[^\s@/"]+@/gi;

function scrubber(secrets: readonly string[]): (line: string) => string {
  const values = secrets.filter((v) => v.length >= 6);
  // A secret with quotes or backslashes appears JSON-escaped in the line.
  const needles = [...new Set(values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  return (line) => needles.reduce((acc, s) => acc.split(s).join(CENSOR), line).replace(URL_PASSWORD, `$1:${CENSOR}@`);
}

const PRISMA_HEADER = /^Invalid `([^`]+)` invocation(?: in)?:?$/;
const SOURCE_LOCATION = /^(?:file:\/\/|\/|[A-Za-z]:\\).*:\d+:\d+$/;
const CODE_FRAME_LINE = /^(?:→\s*)?\d+\s/;

/**
 * An error message as one line. Prisma's own messages span lines: a header naming the call, the
 * caller's source path and a code frame, then the database's message. Only the call and the message
 * are kept: a log line is one event, and source paths say nothing to an operator.
 */
export function oneLineError(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const fromPrisma = lines.some((l) => PRISMA_HEADER.test(l));
  const kept = fromPrisma ? lines.filter((l) => !SOURCE_LOCATION.test(l) && !CODE_FRAME_LINE.test(l)).map((l) => l.replace(PRISMA_HEADER, '$1:')) : lines;
  return kept.join(' ');
}

/**
 * What an error says. Prisma 6.19 words a driver adapter's failure in a raw statement as "Raw query
 * failed. Code: `N/A`. Message: `undefined`" and keeps the database's own words in `meta`.
 */
function messageOf(error: unknown): string {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { message?: unknown; code?: unknown } } } } | null)?.meta?.driverAdapterError?.cause;
  if (typeof cause?.message === 'string') return `Raw query failed: ${cause.message}${typeof cause.code === 'string' ? ` (${cause.code})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** `error` fields hold errors or messages, logged as one line; anything else passes as it is. */
function withOneLineError(data: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!data || data.error === undefined) return data ?? {};
  return { ...data, error: oneLineError(messageOf(data.error)) };
}

/** `secrets` are the configured secret values (config.ts `secretValues`). */
export function createLogger(level: Level, secrets: readonly string[], write = (line: string) => void process.stderr.write(line)): Logger {
  const scrub = scrubber(secrets);
  const log = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: CENSOR },
    },
    { write: (line: string) => write(scrub(line)) },
  );
  return {
    debug: (msg, data) => log.debug(withOneLineError(data), msg),
    info: (msg, data) => log.info(withOneLineError(data), msg),
    warn: (msg, data) => log.warn(withOneLineError(data), msg),
    error: (msg, data) => log.error(withOneLineError(data), msg),
  };
}
