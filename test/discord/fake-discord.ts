// A local stand-in for Discord speaking its documented protocol: the REST routes the adapter uses
// (answered with Discord's JSON shapes and status codes) and the gateway WebSocket (HELLO, heartbeat
// ACK, IDENTIFY → READY → GUILD_CREATE, then whatever dispatches a test sends). Every REST request
// and every gateway payload from the client is recorded, so tests assert what Discord would receive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const APP_ID = '1100000000000000001';
export const BOT_USER_ID = '1100000000000000002';
export const GUILD_ID = '1200000000000000001';
export const CHANNEL_ID = '1300000000000000001';
export const ACTION1_CHANNEL_ID = '1300000000000000002';

export interface Recorded {
  method: string;
  /** Path after /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: URLSearchParams;
  body: any;
  at: number;
  status: number;
}

export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
}

let snowflake = 1400000000000000000n;
const nextId = () => String(++snowflake);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType = ''): unknown {
  if (!raw) return undefined;
  if (contentType.startsWith('multipart/form-data')) {
    // Messages with files carry their JSON in the payload_json part.
    const json = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
    return json ? { ...JSON.parse(json), multipart: true } : { multipart: true };
  }
  return JSON.parse(raw);
}

const botUser = { id: BOT_USER_ID, username: 'partnerbot', discriminator: '0000', global_name: null, avatar: null, bot: true };

function channel(id: string, name: string) {
  return { id, type: 0, guild_id: GUILD_ID, name, position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, parent_id: null, rate_limit_per_user: 0, flags: 0 };
}

export class FakeDiscord {
  readonly requests: Recorded[] = [];
  /** Payloads the client sent over the gateway (IDENTIFY, heartbeats). */
  readonly gatewayPayloads: { op: number; d: any }[] = [];
  /** Channels whose next message POST is answered with a 429. */
  readonly rateLimitNext = new Set<string>();
  /** Users whose DM channel refuses messages (Discord error 50007). */
  readonly dmsClosed = new Set<string>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: { match: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  private readonly dmChannels = new Map<string, string>();
  private seq = 0;
  private port = 0;

  constructor() {
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket) => this.onSocket(socket));
  }

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: Recorded) => boolean, timeoutMs = 8000): Promise<Recorded> {
    const past = this.requests.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a Discord request')), timeoutMs);
      this.waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  /** Sends a gateway dispatch (op 0) to every connected client. */
  dispatch(t: string, d: unknown): void {
    const payload = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    for (const s of this.sockets) s.send(payload);
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: any };
      this.gatewayPayloads.push(payload);
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) this.identified(socket);
    });
  }

  private identified(socket: WebSocket): void {
    const send = (t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
    send('READY', {
      v: 10,
      user: botUser,
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: 'fake-session',
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: APP_ID, flags: 0 },
    });
    send('GUILD_CREATE', {
      id: GUILD_ID,
      name: 'Inclusion Partnership',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: '1500000000000000009',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: [{ id: GUILD_ID, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '2248473465835073', managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: CHANNEL_ID,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: '2025-09-01T10:00:00.000000+00:00',
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [],
      channels: [channel(CHANNEL_ID, 'general'), channel(ACTION1_CHANNEL_ID, 'a1-local-strategies')],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    });
  }

  private message(channelId: string, body: any, extra: Record<string, unknown> = {}) {
    return { ...sentMessage(body, channelId), ...extra };
  }

  private route(method: string, path: string, body: any): { status: number; json?: unknown; headers?: Record<string, string> } {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return { status: 200, json: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } } };
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path))) {
      if (method === 'DELETE') return { status: 204 };
      return { status: 200, json: this.message(CHANNEL_ID, body, { webhook_id: m[1], application_id: APP_ID }) };
    }
    if (method === 'POST' && (m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path))) {
      return { status: 200, json: this.message(CHANNEL_ID, body, { webhook_id: m[1], application_id: APP_ID }) };
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = m[1]!;
      if (this.rateLimitNext.delete(channelId)) {
        const resetAt = Date.now() / 1000 + 1;
        return {
          status: 429,
          headers: {
            'retry-after': '1',
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': resetAt.toFixed(3),
            'x-ratelimit-reset-after': '1.000',
            'x-ratelimit-bucket': 'fake-channel-messages',
            'x-ratelimit-scope': 'user',
          },
          json: { message: 'You are being rate limited.', retry_after: 1, global: false },
        };
      }
      const closedFor = [...this.dmChannels].find(([, id]) => id === channelId)?.[0];
      if (closedFor && this.dmsClosed.has(closedFor)) return { status: 403, json: { message: 'Cannot send messages to this user', code: 50007 } };
      return {
        status: 200,
        json: this.message(channelId, body),
        headers: { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '5.000', 'x-ratelimit-bucket': 'fake-channel-messages' },
      };
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return { status: 200, json: (body as any[]).map((c) => ({ ...c, id: nextId(), application_id: APP_ID, version: nextId() })) };
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = String(body.recipient_id);
      const id = this.dmChannels.get(recipient) ?? nextId();
      this.dmChannels.set(recipient, id);
      return { status: 200, json: { id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient, username: 'someone', discriminator: '0', global_name: null, avatar: null }] } };
    }
    return { status: 404, json: { message: '404: Not Found', code: 0 } };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const body = parseBody(await readBody(req), req.headers['content-type']);
    const { status, json, headers } = this.route(req.method ?? 'GET', path, body);
    const recorded: Recorded = { method: req.method ?? 'GET', path, query: url.searchParams, body, at: Date.now(), status };
    this.requests.push(recorded);
    res.writeHead(status, { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(json !== undefined ? JSON.stringify(json) : undefined);
    for (const w of this.waiters.filter((w) => w.match(recorded))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(recorded);
    }
  }
}

// Interaction payloads as Discord sends them in INTERACTION_CREATE.

export function member(user: DiscordUser) {
  return {
    user: { ...user, discriminator: '0', avatar: null, public_flags: 0 },
    roles: [],
    joined_at: '2025-09-02T09:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    permissions: '2248473465835073',
  };
}

function base(type: number, user: DiscordUser, channelId: string) {
  const id = nextId();
  return {
    id,
    application_id: APP_ID,
    type,
    token: `itoken-${id}`,
    version: 1,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: channel(channelId, channelId === ACTION1_CHANNEL_ID ? 'a1-local-strategies' : 'general'),
    member: member(user),
    app_permissions: '2248473465835073',
    locale: 'en-GB',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

export type Option = { type: number; name: string; value?: unknown; focused?: boolean; options?: Option[] };

/** A slash command as typed: [command, subcommand] or [command, group, subcommand], e.g. ['plan', 'milestone', 'done']. */
export type CommandPath = [string, string] | [string, string, string];

/** The option tree under the top-level command. */
export function commandOptions(path: CommandPath, leaves: Option[]): Option[] {
  if (path.length === 2) return [{ type: 1, name: path[1], options: leaves }];
  return [{ type: 2, name: path[1], options: [{ type: 1, name: path[2], options: leaves }] }];
}

export function chatInput(user: DiscordUser, path: CommandPath, leaves: Option[] = [], channelId = CHANNEL_ID) {
  return {
    ...base(2, user, channelId),
    data: { id: '1600000000000000001', name: path[0], type: 1, guild_id: GUILD_ID, options: commandOptions(path, leaves) },
  };
}

export function autocomplete(user: DiscordUser, path: CommandPath, leaves: Option[]) {
  return {
    ...base(4, user, CHANNEL_ID),
    data: { id: '1600000000000000001', name: path[0], type: 1, guild_id: GUILD_ID, options: commandOptions(path, leaves) },
  };
}

/** A click on a button of a message the bot posted earlier (`message` as Discord returned it). */
export function buttonClick(user: DiscordUser, customId: string, message: Record<string, unknown>) {
  return {
    ...base(3, user, String(message['channel_id'] ?? CHANNEL_ID)),
    data: { custom_id: customId, component_type: 2 },
    message,
  };
}

export function modalSubmit(user: DiscordUser, customId: string, values: Record<string, string>, message?: Record<string, unknown>) {
  return {
    ...base(5, user, CHANNEL_ID),
    data: {
      custom_id: customId,
      components: Object.entries(values).map(([name, value], i) => ({
        type: 18,
        id: i + 1,
        component: { type: 4, id: i + 100, custom_id: name, value },
      })),
    },
    ...(message ? { message } : {}),
  };
}

/** A message object as Discord would hold it after the bot sent `body`. */
export function sentMessage(body: any, channelId = CHANNEL_ID) {
  return {
    id: nextId(),
    channel_id: channelId,
    author: botUser,
    content: body?.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body?.embeds ?? [],
    components: body?.components ?? [],
    pinned: false,
    type: 0,
    flags: body?.flags ?? 0,
    application_id: APP_ID,
  };
}
