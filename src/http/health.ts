// /healthz says the process is alive (restart it if not); /readyz says it can do useful work (send it
// traffic if so): the database answers and every configured chat adapter is connected. /metrics is
// the Prometheus scrape endpoint.
import type { Registry } from 'prom-client';
import type { Db } from '../persistence/database.ts';
import { sendJson, type HttpServer } from './server.ts';

/** True when healthy; false or a thrown error when not. */
export type Probe = () => boolean | Promise<boolean>;

export interface HealthOptions {
  /** Usually `databaseProbe(prisma)`. */
  database: Probe;
  /** One per adapter, by name (`slack`, `discord`). */
  adapters?: Record<string, Probe>;
  registry: Registry;
  /** A probe that hangs counts as failed after this long (default 2 s), so /readyz always answers. */
  timeoutMs?: number;
}

export function databaseProbe(db: Db): Probe {
  return async () => {
    await db.$queryRaw`SELECT 1`;
    return true;
  };
}

interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

async function runProbe(probe: Probe, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const ok = await Promise.race([Promise.resolve().then(probe), timeout]);
    return { ok, ms: Math.round(performance.now() - started), ...(ok ? {} : { error: 'not connected' }) };
  } catch (e) {
    // Only the first line: driver errors can be long, and the detail belongs in the logs.
    const error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
    return { ok: false, ms: Math.round(performance.now() - started), error };
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(server: HttpServer, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 2000;
  server.addRoute('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  server.addRoute('GET', '/readyz', async (_req, res) => {
    const probes: [string, Probe][] = [['database', options.database], ...Object.entries(options.adapters ?? {})];
    const results = await Promise.all(probes.map(async ([name, probe]) => [name, await runProbe(probe, timeoutMs)] as const));
    const ready = results.every(([, r]) => r.ok);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  server.addRoute('GET', '/metrics', async (_req, res) => {
    const body = await options.registry.metrics();
    res.writeHead(200, { 'content-type': options.registry.contentType });
    res.end(body);
  });
}
