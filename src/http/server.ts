// A small HTTP server for operations (health, readiness, metrics) that other modules extend with
// their own routes (calendar feeds, webhooks). Plain node:http: a framework would be more code to
// audit than the routing it saves.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/bot.ts';
import { silentLogger } from '../core/bot.ts';
import { readBodyWithinLimit } from './body-limit.ts';

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** The regex match for a regex route; for a prefix route, the path after the prefix is in `rest`. */
  match: RegExpExecArray | null;
  rest: string;
  /** The request's body, read within the size limit (empty for a GET). */
  body: Buffer;
}

export type RouteHandler = (request: RouteRequest, res: ServerResponse) => void | Promise<void>;

export interface HttpOptions {
  port: number;
  host: string;
}

export interface HttpServer {
  /**
   * Adds a route. A string matches that path and everything below it (`/calendar` matches
   * `/calendar/abc.ics`, not `/calendars`); a regex is tested against the whole path. The longest
   * matching prefix wins; regex routes are tried first, in the order they were added.
   */
  addRoute(method: string, path: string | RegExp, handler: RouteHandler): void;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
  readonly server: Server;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

interface Route {
  method: string;
  path: string | RegExp;
  handler: RouteHandler;
}

function matches(path: string | RegExp, pathname: string): { match: RegExpExecArray | null; rest: string } | undefined {
  if (typeof path !== 'string') {
    path.lastIndex = 0;
    const match = path.exec(pathname);
    return match ? { match, rest: '' } : undefined;
  }
  const prefix = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path;
  if (pathname === prefix) return { match: null, rest: '' };
  if (prefix === '/' || pathname.startsWith(`${prefix}/`)) return { match: null, rest: pathname.slice(prefix === '/' ? 1 : prefix.length + 1) };
  return undefined;
}

export function createHttpServer(options: HttpOptions, logger: Logger = silentLogger): HttpServer {
  const routes: Route[] = [];

  function find(pathname: string): { route: Route; match: RegExpExecArray | null; rest: string }[] {
    const found = routes.flatMap((route) => {
      const m = matches(route.path, pathname);
      return m ? [{ route, ...m }] : [];
    });
    const rank = (r: Route) => (typeof r.path === 'string' ? r.path.length : Number.MAX_SAFE_INTEGER);
    // Stable sort: regexes keep their insertion order ahead of prefixes, longest prefix first.
    return found.sort((a, b) => rank(b.route) - rank(a.route));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Read before routing, within the limit: an oversized upload is refused with 413 whatever its path.
    const body = await readBodyWithinLimit(req, res);
    if (!body) return;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, { error: 'bad request' });
    }
    const candidates = find(url.pathname);
    // HEAD is GET without a body; node:http drops the body itself.
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const hit = candidates.find((c) => c.route.method === method);
    if (!hit) {
      if (candidates.length) {
        res.setHeader('allow', [...new Set(candidates.map((c) => c.route.method))].join(', '));
        return sendJson(res, 405, { error: 'method not allowed' });
      }
      return sendJson(res, 404, { error: 'not found' });
    }
    try {
      await hit.route.handler({ req, url, match: hit.match, rest: hit.rest, body }, res);
    } catch (e) {
      logger.error('http handler failed', { path: url.pathname, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  // Probes and scrapers reconnect often; do not let idle sockets hold a shutdown.
  server.keepAliveTimeout = 5000;

  return {
    server,
    addRoute(method, path, handler) {
      routes.push({ method: method.toUpperCase(), path, handler });
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve({ port: (server.address() as AddressInfo).port });
        });
      });
    },
    close() {
      server.closeIdleConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
