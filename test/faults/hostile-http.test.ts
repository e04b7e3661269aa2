// The real `partnerbot start` process as the network meets it: calendar feeds public, operations
// endpoints on their own port, a Slack it cannot reach yet, and unauthenticated uploads far larger
// than anything Slack sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, waitFor } from '../slack/fake-slack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'partnerbot-hostile-'));
const fake = new FakeSlack();
let bot: ChildProcess;
let slackApiPort = 0;
const logs: Record<string, unknown>[] = [];
const portOf = (msg: string) => logs.find((l) => l.msg === msg)?.port as number | undefined;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  slackApiPort = await freePort();
  const { DATABASE_URL: _server, ...env } = process.env;
  bot = spawn(process.execPath, ['bin/partnerbot.mjs', 'start'], {
    env: {
      ...env,
      // A young generation that cannot grow keeps allocation churn out of the RSS readings below.
      NODE_OPTIONS: [env.NODE_OPTIONS, '--max-semi-space-size=1'].filter(Boolean).join(' '),
      PARTNERBOT_DATA_DIR: dataDir,
      PARTNERBOT_HTTP_PORT: '0',
      PARTNERBOT_HTTP_HOST: '127.0.0.1',
      PARTNERBOT_OPS_PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-hostile-test',
      SLACK_SIGNING_SECRET: 'hostile-test-secret',
      SLACK_PORT: '0',
      // Nothing listens here until the test starts "Slack": a network failure, as the bot sees it.
      SLACK_API_URL: `http://127.0.0.1:${slackApiPort}/api/`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let pending = '';
  bot.stderr!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  await waitFor(() => portOf('ops listening'), 60_000);
}, 90_000);

afterAll(async () => {
  if (bot.exitCode === null) {
    const exited = new Promise((resolve) => bot.once('exit', resolve));
    bot.kill('SIGTERM');
    await exited;
  }
  await fake.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

const ops = (path: string) => `http://127.0.0.1:${portOf('ops listening')}${path}`;
const feeds = (path: string) => `http://127.0.0.1:${portOf('http listening')}${path}`;

async function readiness(): Promise<{ status: number; checks: Record<string, { ok: boolean; error?: string }> }> {
  const res = await fetch(ops('/readyz'));
  const { checks } = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
  return { status: res.status, checks };
}

async function rss(): Promise<number> {
  const text = await (await fetch(ops('/metrics'))).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)![1]);
}

/** POSTs `bytes` of form data, declared up front or chunked; gives the status, or the socket error. */
function upload(url: string, bytes: number, declared: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-slack-signature': 'v0=forged',
      ...(declared ? { 'content-length': String(bytes) } : {}),
    };
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('partnerbot start facing the network', { timeout: 120_000 }, () => {
  it('while Slack cannot be reached, keeps trying and /readyz says why; once Slack answers it connects', async () => {
    const waiting = await waitFor(async () => {
      const r = await readiness();
      return r.checks.slack?.error ? r : undefined;
    }, 20_000);
    expect(waiting.status).toBe(503);
    expect(waiting.checks.database!.ok).toBe(true);
    expect(waiting.checks.slack!.error).toMatch(/^cannot reach Slack \(auth\.test\): .*ECONNREFUSED.*; retrying in \d+ s$/);
    expect(bot.exitCode).toBeNull();
    expect(JSON.stringify(logs)).not.toContain('did not accept the bot token');
    await fake.start(false, slackApiPort);
    await waitFor(() => portOf('slack listening'), 90_000);
    expect((await readiness()).status).toBe(200);
  });

  it('serves health, readiness and metrics only on the operations port, and calendar feeds only on the public one', async () => {
    for (const path of ['/metrics', '/readyz', '/healthz']) {
      expect((await fetch(ops(path))).status).toBe(200);
      expect((await fetch(feeds(path))).status).toBe(404);
    }
    expect((await fetch(feeds('/calendar/not-a-token.ics'))).status).toBe(404);
    expect(await (await fetch(feeds('/calendar/not-a-token.ics'))).text()).toBe('No such calendar.\n');
    expect(await (await fetch(ops('/calendar/not-a-token.ics'))).json()).toEqual({ error: 'not found' });
  });

  it('refuses 10 MB uploads with 413 on every endpoint before buffering them, and its memory stays flat', async () => {
    const events = `http://127.0.0.1:${portOf('slack listening')}/slack/events`;
    const targets = [events, feeds('/calendar/x.ics'), ops('/metrics')];
    // Uploads arrive together, as an attacker sends them: what a server buffers, it holds all at once.
    const round = async () => {
      const uploads = targets.flatMap((url) => [true, false, true, false].map((declared) => upload(url, 10 * 1024 * 1024, declared)));
      expect(await Promise.all(uploads)).toEqual(uploads.map(() => 413));
    };
    // The first round grows the heap to its working size; each later one sends 120 MB more.
    await round();
    const before = await rss();
    for (let i = 0; i < 3; i++) await round();
    const grown = (await rss()) - before;
    // Buffered (as Bolt did), these three rounds grew the process by about 70 MB (on top of 140 MB
    // in the first round); refused before reading, by 9-16 MB of allocator churn.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    // Ordinary requests are untouched: a small signed-looking POST still reaches the signature check.
    expect(await upload(events, 100, true)).toBe(401);
  });
});
