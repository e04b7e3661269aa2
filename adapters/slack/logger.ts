// Bolt and the Web API client log through ours. Their arguments can be error objects that hold the
// request configuration, Authorization header included, so only messages reach the log, and anything
// shaped like a Slack token is blanked out on the way.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/bot.ts';

const TOKEN = /\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g;

function redact(s: string): string {
  return s.replace(TOKEN, 'x***');
}

function describe(args: unknown[]): string {
  return redact(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : typeof a === 'number' ? String(a) : '[object]')).join(' '));
}

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...args) => logger.debug?.(`slack: ${describe(args)}`),
    info: (...args) => logger.info(`slack: ${describe(args)}`),
    warn: (...args) => logger.warn(`slack: ${describe(args)}`),
    error: (...args) => logger.error(`slack: ${describe(args)}`),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function errorMessage(e: unknown): string {
  return redact(e instanceof Error ? e.message : String(e));
}
