// A local stand-in for Slack: the Web API methods the adapter calls (answering with Slack's
// documented JSON shapes), response_url endpoints, and optionally the Socket Mode WebSocket. Every
// request is recorded so tests can assert exactly what Slack would have received. Like Slack, it
// refuses a method whose scope the app was not granted (by default the scopes of slack/manifest.yml).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_TOKEN_SCOPES, EMAIL_SCOPE, METHOD_SCOPES, missingScope, readManifest } from './scopes.ts';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  at: number;
  authorization?: string;
}

export interface Response {
  url: string;
  body: Record<string, unknown>;
  at: number;
}

type Failure = { status: number; retryAfter?: number; error?: string };

const JSON_ARGS = new Set(['blocks', 'view', 'attachments']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_ARGS.has(k) ? JSON.parse(v) : v;
  return args;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly responses: Response[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private server!: Server;
  private wss?: WebSocketServer;
  socket?: WebSocket;
  readonly socketMessages: Record<string, unknown>[] = [];
  readonly uploads: { url: string; bytes: number }[] = [];
  /** E-mail addresses users.info reveals (as with the users:read.email scope). */
  readonly emails = new Map<string, string>();
  base = '';
  /** The bot token's scopes: what installing the app from the manifest grants. */
  readonly botScopes: readonly string[];

  constructor(options: { botScopes?: readonly string[] } = {}) {
    this.botScopes = options.botScopes ?? readManifest().oauth_config.scopes.bot;
  }

  /** `port` 0 picks a free one; a given port lets a test start "Slack" where the bot already looks for it. */
  async start(withSocketMode = false, port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res.writeHead.bind(res), (b) => res.end(b)));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (withSocketMode) {
      this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
      this.wss.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => this.socketMessages.push(JSON.parse(String(data)) as Record<string, unknown>));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A1' } }));
      });
    }
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${id}`;
  }

  /** The next call(s) to `method` fail this way, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): Response[] {
    return this.responses.filter((r) => r.url.endsWith(`/respond/${id}`));
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.socketMessages.length = 0;
    this.failures.clear();
    this.uploads.length = 0;
  }

  private async route(req: IncomingMessage, head: (status: number, headers: Record<string, string>) => void, end: (body: string) => void) {
    const url = req.url ?? '';
    if (url.startsWith('/upload/')) {
      // The file itself, posted to the URL files.getUploadURLExternal handed out.
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      this.uploads.push({ url, bytes: Buffer.concat(chunks).length });
      head(200, { 'content-type': 'text/plain' });
      return end('OK - uploaded');
    }
    const args = parseArgs(await readBody(req), req.headers['content-type']);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      head(status, { 'content-type': 'application/json', ...headers });
      end(JSON.stringify(body));
    };
    if (url.startsWith('/respond/')) {
      this.responses.push({ url, body: args, at: Date.now() });
      return send(200, { ok: true });
    }
    const method = url.replace(/^\/api\//, '').split('?')[0]!;
    this.calls.push({ method, args, at: Date.now(), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (!(method in METHOD_SCOPES)) return send(200, { ok: false, error: 'unknown_method' });
    const scopes = this.scopesOf(req.headers.authorization ?? `Bearer ${String(args['token'] ?? '')}`);
    const refusal = missingScope(method, scopes);
    if (refusal) return send(200, refusal);
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      return send(failure.status, { ok: false, error: failure.error ?? 'ratelimited' }, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
    }
    send(200, this.answer(method, args, scopes));
  }

  private scopesOf(authorization: string): readonly string[] {
    return authorization.startsWith('Bearer xapp-') ? APP_TOKEN_SCOPES : this.botScopes;
  }

  private answer(method: string, args: Record<string, unknown>, scopes: readonly string[]): Record<string, unknown> {
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.calls.length).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://partners-test.slack.com/', team: 'Partners Test', user: 'partnerbot', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT', is_enterprise_install: false };
      case 'chat.postMessage':
        return { ok: true, channel: args['channel'], ts, message: { type: 'message', bot_id: 'BBOT', text: args['text'], blocks: args['blocks'], ts } };
      case 'chat.update':
        return { ok: true, channel: args['channel'], ts: args['ts'], text: args['text'], message: { text: args['text'], blocks: args['blocks'] } };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: 'V0001', team_id: 'T1', ...(args['view'] as object), state: { values: {} }, hash: '1.abc' } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args['users']).slice(1)}` } };
      case 'users.info': {
        const id = String(args['user']);
        const email = scopes.includes(EMAIL_SCOPE) ? this.emails.get(id) : undefined;
        return { ok: true, user: { id, team_id: 'T1', name: id.toLowerCase(), real_name: `Real ${id}`, profile: { display_name: `Display ${id}`, real_name: `Real ${id}`, ...(email ? { email } : {}) } } };
      }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${this.base}/upload/F${this.calls.length}`, file_id: `F${this.calls.length}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: JSON.parse(String(args['files'] ?? '[]')) };
      case 'apps.connections.open':
        return { ok: true, url: `${this.base.replace('http', 'ws')}/socket` };
      default:
        throw new Error(`the Slack stand-in lists ${method} in METHOD_SCOPES but has no answer for it`);
    }
  }
}

/** Slack's request signing: v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>"). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedOptions {
  timestamp?: number;
  signature?: string;
  /** More headers, e.g. Slack's X-Slack-Retry-Num on a retry. */
  headers?: Record<string, string>;
}

export async function postSigned(url: string, secret: string, body: string, contentType: string, opts: SignedOptions = {}): Promise<{ status: number; ms: number; text: string }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? sign(secret, timestamp, body),
      ...opts.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

export function slashBody(fields: Record<string, string>): string {
  return new URLSearchParams({ token: 'legacy-verification-token', command: '/partner', ...fields }).toString();
}

export function payloadBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
