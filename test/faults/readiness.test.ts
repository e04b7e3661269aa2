// The operations endpoints as a load balancer and Prometheus see them: alive, ready only while the
// database answers and every adapter is connected (with the reason when not), and metrics that count
// the commands answered.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe, registerHealthRoutes } from '../../src/http/health.ts';
import { createHttpServer, sendJson, type HttpServer } from '../../src/http/server.ts';
import { loadConfig, poolSettings } from '../../src/config.ts';
import { commandObserver, observeTick, recordNotification, setOutboxDepth } from '../../src/metrics.ts';
import { Bot } from '../../src/core/bot.ts';
import { registry as commands } from '../../src/app.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';

let f: Fixture;
let server: HttpServer;
let base = '';
const registry = new Registry();
let slackUp = true;
let databaseDown = false;

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  server = createHttpServer({ port: 0, host: '127.0.0.1' });
  const database = databaseProbe(f.db.prisma);
  registerHealthRoutes(server, {
    database: () => (databaseDown ? Promise.reject(new Error('connection refused')) : database()),
    adapters: { slack: () => slackUp, discord: () => new Promise<boolean>(() => {}) },
    registry,
    timeoutMs: 300,
  });
  const { port } = await server.listen();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.close();
  await f?.db.drop();
});

async function get(path: string, method = 'GET') {
  const res = await fetch(`${base}${path}`, { method });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('health and readiness', () => {
  it('/healthz answers 200 while the process runs, whatever the dependencies', async () => {
    slackUp = false;
    expect((await get('/healthz')).status).toBe(200);
    slackUp = true;
  });

  it('/readyz is 503 naming what is down: a hanging probe times out instead of hanging the answer', async () => {
    const started = Date.now();
    const res = await get('/readyz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(503);
    const body = JSON.parse(res.text) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.status).toBe('not ready');
    expect(body.checks.database!.ok).toBe(true);
    expect(body.checks.slack!.ok).toBe(true);
    expect(body.checks.discord).toMatchObject({ ok: false, error: 'no answer within 300 ms' });
  });

  it('/readyz is 200 when the database answers SELECT 1 and every adapter is connected', async () => {
    const ready = createHttpServer({ port: 0, host: '127.0.0.1' });
    registerHealthRoutes(ready, { database: databaseProbe(f.db.prisma), adapters: { slack: () => true }, registry });
    const { port } = await ready.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, slack: { ok: true } } });
    } finally {
      await ready.close();
    }
  });

  it('/readyz reports a database that is gone, and an adapter that dropped', async () => {
    // A real unreachable server is in database-outage.test.ts; here the probe's failure is simulated.
    databaseDown = true;
    slackUp = false;
    const body = JSON.parse((await get('/readyz')).text) as { checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.checks.database).toMatchObject({ ok: false, error: 'connection refused' });
    expect(body.checks.slack).toMatchObject({ ok: false, error: 'not connected' });
    databaseDown = false;
    slackUp = true;
  });
});

describe('routing', () => {
  it('extensions add routes by prefix or regex; unknown paths are 404, wrong methods 405', async () => {
    server.addRoute('GET', '/calendar', ({ rest }, res) => sendJson(res, 200, { feed: rest }));
    server.addRoute('POST', /^\/hooks\/(\w+)$/, ({ match }, res) => sendJson(res, 202, { hook: match![1] }));
    server.addRoute('GET', '/boom', () => {
      throw new Error('handler bug');
    });
    expect(JSON.parse((await get('/calendar/abc.ics')).text)).toEqual({ feed: 'abc.ics' });
    expect((await get('/calendars')).status).toBe(404);
    expect(JSON.parse((await get('/hooks/github', 'POST')).text)).toEqual({ hook: 'github' });
    expect((await get('/hooks/github')).status).toBe(405);
    expect((await get('/healthz', 'HEAD')).status).toBe(200);
    expect(await get('/boom')).toMatchObject({ status: 500, text: '{"error":"internal error"}' });
  });

  it('reads its ports and hosts from the environment (operations on loopback by default), and rejects a bad port in one line', () => {
    const ports = (env: NodeJS.ProcessEnv) => {
      const c = loadConfig(env);
      return [c.PARTNERBOT_HTTP_HOST, c.PARTNERBOT_HTTP_PORT, c.PARTNERBOT_OPS_HOST, c.PARTNERBOT_OPS_PORT];
    };
    expect(ports({})).toEqual(['0.0.0.0', 8080, '127.0.0.1', 9090]);
    expect(ports({ PARTNERBOT_HTTP_PORT: '9100', PARTNERBOT_HTTP_HOST: '127.0.0.1', PARTNERBOT_OPS_PORT: '', PARTNERBOT_OPS_HOST: '10.0.0.5' })).toEqual(['127.0.0.1', 9100, '10.0.0.5', 9090]);
    expect(() => loadConfig({ PARTNERBOT_HTTP_PORT: 'eighty' })).toThrow('configuration: PARTNERBOT_HTTP_PORT must be a port number (0-65535)');
    expect(() => loadConfig({ PARTNERBOT_OPS_PORT: '65536' })).toThrow('configuration: PARTNERBOT_OPS_PORT must be a port number (0-65535)');
  });

  it('reads the database timeouts, with defaults for a silent network', () => {
    expect(poolSettings(loadConfig({}))).toEqual({ connectTimeoutMs: 5000, acquireTimeoutMs: 10_000, statementTimeoutMs: 15_000, keepAliveMs: 10_000 });
    expect(poolSettings(loadConfig({ PARTNERBOT_DB_CONNECT_TIMEOUT_MS: '800', PARTNERBOT_DB_ACQUIRE_TIMEOUT_MS: '1200', PARTNERBOT_DB_STATEMENT_TIMEOUT_MS: '3000', PARTNERBOT_DB_KEEPALIVE_MS: '0' })))
      .toEqual({ connectTimeoutMs: 800, acquireTimeoutMs: 1200, statementTimeoutMs: 3000, keepAliveMs: 0 });
    expect(() => loadConfig({ PARTNERBOT_DB_STATEMENT_TIMEOUT_MS: '5s' })).toThrow(/^configuration: PARTNERBOT_DB_STATEMENT_TIMEOUT_MS must be a number of milliseconds$/);
  });

  it('names the allowed log levels when PARTNERBOT_LOG_LEVEL is not one of them', () => {
    expect(() => loadConfig({ PARTNERBOT_LOG_LEVEL: 'verbose' })).toThrow(/^configuration: PARTNERBOT_LOG_LEVEL must be one of debug, info, warn, error, silent$/);
  });
});

describe('metrics', () => {
  it('/metrics counts commands by name and outcome, and exposes the scheduler figures', async () => {
    const bot = new Bot({ db: f.db.prisma, clock: f.clock, registry: commands, onCommand: commandObserver(registry) });
    const user = { platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'u' } as const;
    await bot.handle({ ...user, text: 'actions' });
    await bot.handle({ ...user, text: 'dew' });
    await bot.handle({ ...user, text: 'milestone done A1.2' });
    // A known command with bad arguments counts under its own name, not as "unknown".
    await bot.handle({ ...user, text: 'due --days many' });
    await bot.handle({ ...user, command: { name: 'due', options: { days: 'many' } } });
    recordNotification('reminder', 'sent', registry);
    recordNotification('reminder', 'late', registry);
    setOutboxDepth(7, registry);
    observeTick(120, registry);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.text).toContain('partnerbot_commands_total{command="actions",platform="slack",outcome="ok"} 1');
    expect(res.text).toContain('partnerbot_commands_total{command="unknown",platform="slack",outcome="user_error"} 1');
    expect(res.text).toContain('partnerbot_commands_total{command="milestone done",platform="slack",outcome="refused"} 1');
    expect(res.text).toContain('partnerbot_commands_total{command="due",platform="slack",outcome="user_error"} 2');
    expect(res.text).toMatch(/partnerbot_command_duration_seconds_count\{command="actions"\} 1/);
    expect(res.text).toContain('partnerbot_notifications_total{kind="reminder",outcome="late"} 1');
    expect(res.text).toContain('partnerbot_outbox_pending 7');
    expect(res.text).toContain('partnerbot_scheduler_tick_duration_seconds_count 1');
  });
});
