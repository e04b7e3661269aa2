// Done means: `partnerbot tick` as a real process, with PARTNERBOT_SMTP_URL pointing at a real SMTP
// server, e-mails the Monday digest to the list and the week's nudges to the demo co-leaders (e-mail
// addresses, no chat accounts); a second tick at the same instant sends nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { spawnPartnerbot } from '../support/partnerbot-process.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'partnerbot-email-tick-'));
const LIST = 'members@partnership.example.org';
let sink: SmtpSink;
let server: TestDatabase | undefined;
let env: Record<string, string>;
let httpPort = 0;

/** A port free right now, for the service the links in the e-mails must point at before it starts. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  sink = await startSmtpSink();
  // On a PostgreSQL server the process gets an empty database of its own and seeds it, as the embedded one does.
  if (process.env.DATABASE_URL) server = await freshDatabase(process.env.DATABASE_URL);
  httpPort = await freePort();
  env = {
    PARTNERBOT_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
    PATH: process.env.PATH ?? '',
    PARTNERBOT_DATA_DIR: join(dir, 'data'),
    PARTNERBOT_LOG_LEVEL: 'warn',
    PARTNERBOT_SMTP_URL: `smtp://bot:s3cret-relay-pass@127.0.0.1:${sink.port}`,
    PARTNERBOT_MAIL_FROM: 'partnerbot@partnership.example.org',
    PARTNERBOT_DIGEST_TO: LIST,
    ...(server?.url ? { DATABASE_URL: server.url } : {}),
  };
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await server?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => run(process.execPath, ['bin/partnerbot.mjs', 'tick', '--now', '2025-11-24T09:00:00+01:00'], { env, encoding: 'utf8', timeout: 120_000 });

it('delivers the digest to the list and the nudges to the demo co-leaders, and a second tick sends nothing', async () => {
  const first = await tick();
  expect(first.stdout).toMatch(/notifications created, \d+ sent/);
  const digest = sink.received.filter((r) => r.to.includes(LIST));
  expect(digest).toHaveLength(1);
  expect(digest[0]!.mail.subject).toMatch(/digest/i);
  const nudges = sink.received.filter((r) => / is due | starts now/.test(r.mail.subject ?? ''));
  expect(nudges.length).toBeGreaterThan(3);
  for (const n of nudges) expect(n.to[0]).toMatch(/@example\.org$/);
  expect(`${first.stdout}${first.stderr}`).not.toContain('s3cret-relay-pass');
  expect(new Set(sink.logins)).toEqual(new Set(['bot:s3cret-relay-pass']));

  const count = sink.received.length;
  const second = await tick();
  expect(second.stdout).toContain('0 notifications created, 0 sent');
  expect(sink.received.length).toBe(count);
}, 240_000);

// The tick ran at --now 2025-11-24, so against the service's real clock its links are long expired: an
// expired answer (410) rather than "not valid" (403) shows the service checked the signature with the
// key the tick made and stored, and the POST still changes nothing.
it('a link from those e-mails reaches "partnerbot serve", which verifies it with the key the tick stored', async () => {
  const nudge = sink.received.find((r) => /Mark done: http/.test(r.mail.text ?? ''))!;
  const url = /^Mark done: (http\S+)$/m.exec(nudge.mail.text!)![1]!;
  const service = spawnPartnerbot(['serve'], { ...env, PARTNERBOT_HTTP_PORT: String(httpPort), PARTNERBOT_HTTP_HOST: '127.0.0.1', PARTNERBOT_OPS_PORT: '0', PARTNERBOT_LOG_LEVEL: 'info' });
  try {
    await service.logged('partnerbot running', 90_000);
    for (const method of ['GET', 'POST']) {
      const res = await fetch(url, { method });
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('This link has expired');
    }
    const forged = await fetch(url.replace(/.{4}$/, 'AAAA'), { method: 'POST' });
    expect(forged.status).toBe(403);
    expect(JSON.stringify(service.logs)).not.toContain('s3cret-relay-pass');
  } finally {
    expect(await service.stop()).toBe(0);
  }
}, 180_000);
