// The Slack adapter: a Bolt app over the core Bot. Socket Mode when an app-level token is given (no
// public URL needed), otherwise Slack's HTTP requests at /slack/events, always signature-checked.
import { App, HTTPReceiver, SocketModeReceiver, webApi, type AuthorizeResult } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBodyWithinLimit } from '../../src/http/body-limit.ts';
import type { Bot, Logger } from '../../src/core/bot.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { ChannelTarget } from '../../src/domain/channels.ts';
import { registerHandlers } from './handlers.ts';
import { boltLogger, errorMessage } from './logger.ts';
import { Outbound } from './outbound.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAppOptions {
  bot: Bot;
  /** Checks that HTTP requests come from Slack; required unless appToken is set. */
  signingSecret?: string;
  /** xoxb-… */
  botToken: string;
  /** xapp-… with connections:write: switches to Socket Mode. */
  appToken?: string;
  /** HTTP mode only (default 3000); 0 picks a free port. */
  port?: number;
  /** Where the Web API lives; tests point it at a local stand-in. */
  slackApiUrl?: string;
  logger: Logger;
  /** How often and how patiently failed Web API calls are retried (429s wait for Retry-After). */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number; randomize?: boolean };
  /** How long start() waits between attempts while Slack cannot be reached (doubling from min to max). */
  reachRetry?: { minMs: number; maxMs: number };
}

export interface SlackApp {
  app: App;
  /** Resolves once Slack can reach us; gives the HTTP port in HTTP mode. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
  /**
   * Whether Slack can reach the bot now: in Socket Mode, whether the WebSocket is connected (false
   * while it reconnects); over HTTP, whether the receiver is listening.
   */
  isConnected(): boolean;
  /** True when connected; otherwise throws an error saying why (for /readyz). */
  checkConnected(): true;
  postMessage(target: string | ChannelTarget, reply: Reply): Promise<void>;
  /** Opens (or reuses) the DM with the user; gives its channel id. */
  sendDm(userId: string, reply: Reply): Promise<{ channelId: string }>;
}

const DEFAULT_RETRY = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 30_000, randomize: true };
const DEFAULT_REACH_RETRY = { minMs: 1000, maxMs: 60_000 };

// The answers of auth.test that mean the token itself is bad; anything else (DNS, a refused or cut
// connection, a 5xx, rate limiting) is the network or Slack, and is worth waiting out.
const TOKEN_REJECTIONS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

function isTokenRejection(e: unknown): boolean {
  const err = e as { code?: unknown; data?: { error?: unknown } };
  return err?.code === webApi.ErrorCode.PlatformError && TOKEN_REJECTIONS.has(String(err.data?.error));
}

/**
 * Slack's receiver buffers a request's whole body before it checks the signature. Handing it a body
 * already read within our limit keeps an unsigned 100 MB POST from ever being held in memory (Bolt
 * skips its own read when the request carries `rawBody`).
 */
function limitRequestBodies(receiver: HTTPReceiver): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    // Any other path or method is answered 404/405 by Bolt without reading the body.
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== SLACK_EVENTS_PATH) return listener(req, res);
    void readBodyWithinLimit(req, res).then((body) => {
      if (!body) return;
      Object.assign(req, { rawBody: body });
      listener(req, res);
    });
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { bot, logger } = options;
  const log = boltLogger(logger);
  const clientOptions = {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    logger: log,
  };
  if (!options.appToken && !options.signingSecret) throw new Error('Slack over HTTP needs a signing secret (or an app token for Socket Mode)');
  const receiver = options.appToken
    ? new SocketModeReceiver({ appToken: options.appToken, logger: log, installerOptions: { clientOptions } })
    : new HTTPReceiver({ signingSecret: options.signingSecret!, endpoints: SLACK_EVENTS_PATH, logger: log });
  if (receiver instanceof HTTPReceiver) limitRequestBodies(receiver);
  // Our own calls take 429s themselves (see Outbound): the client would wait out Retry-After and then
  // add its retry back-off on top, doubling or tripling every rate-limited wait.
  const client = new webApi.WebClient(options.botToken, { ...clientOptions, rejectRateLimitedCalls: true });
  // start() runs its own retry loop for auth.test, so that /readyz can say why while it waits.
  const startupClient = new webApi.WebClient(options.botToken, { ...clientOptions, retryConfig: { retries: 0 } });

  // Bolt's own token handling calls auth.test from the constructor (a failure there is an unhandled
  // rejection whose error object holds the token) and caches a failed result for good. Here the
  // identity is checked in start(), kept only once known, and asked again after a failure.
  let identity: AuthorizeResult | undefined;
  async function identify(via = client): Promise<AuthorizeResult> {
    if (!identity) {
      const me = await via.auth.test();
      identity = { botToken: options.botToken, botId: me.bot_id, botUserId: me.user_id, teamId: me.team_id };
    }
    return identity;
  }
  let connected = false;
  let problem: string | undefined;
  let started = false;
  const stopping = new AbortController();
  /** auth.test until Slack answers; fails at once only when Slack rejects the token itself. */
  async function identifyPatiently(): Promise<void> {
    const { minMs, maxMs } = options.reachRetry ?? DEFAULT_REACH_RETRY;
    for (let waitMs = minMs; ; waitMs = Math.min(maxMs, waitMs * 2)) {
      try {
        await identify(startupClient);
        problem = undefined;
        return;
      } catch (e) {
        if (isTokenRejection(e)) throw new Error(`Slack did not accept the bot token (auth.test): ${errorMessage(e)}`);
        problem = `cannot reach Slack (auth.test): ${errorMessage(e)}; retrying in ${Math.ceil(waitMs / 1000)} s`;
        logger.warn('slack unreachable, retrying', { error: errorMessage(e), retryInMs: waitMs });
        await sleep(waitMs, undefined, { signal: stopping.signal });
      }
    }
  }
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => (connected = true));
    // 'close' is the socket dropping; the client waits a while before it says 'reconnecting'.
    for (const state of ['close', 'reconnecting', 'disconnecting', 'disconnected']) receiver.client.on(state, () => (connected = false));
  }
  const app = new App({ receiver, logger: log, clientOptions, authorize: () => identify() });
  const out = new Outbound(client, bot, logger);
  registerHandlers(app, bot, out, logger);

  return {
    app,
    async start() {
      await identifyPatiently();
      started = true;
      if (options.appToken) {
        await app.start();
        logger.info('slack connected (socket mode)');
        return {};
      }
      const server = await app.start(options.port ?? 3000);
      connected = true;
      server.once('close', () => (connected = false));
      const port = (server.address() as AddressInfo).port;
      logger.info('slack listening', { port, path: SLACK_EVENTS_PATH });
      return { port };
    },
    async stop() {
      stopping.abort();
      if (started) await app.stop();
      connected = false;
    },
    isConnected: () => connected,
    checkConnected() {
      if (connected) return true;
      throw new Error(problem ?? 'not connected');
    },
    postMessage: (target, reply) => out.postMessage(target, reply),
    sendDm: (userId, reply) => out.sendDm(userId, reply),
  };
}
