// The body-size check on its own, against a real HTTP server in this process and raw sockets: what
// an unauthenticated client can make the bot read and hold, and how an oversized upload is ended.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readBodyWithinLimit } from '../../src/http/body-limit.ts';

const LIMIT = 1000;
let server: Server;
let port: number;
/** What the check gave each request's handler, and whether it had answered the request by then. */
let seen: { body: Buffer | undefined; answered: boolean }[];
let handled: Promise<void>;

beforeEach(async () => {
  seen = [];
  let done: () => void;
  handled = new Promise((resolve) => (done = resolve));
  server = createServer(async (req, res) => {
    const body = await readBodyWithinLimit(req, res, req.url === '/default' ? undefined : LIMIT);
    seen.push({ body, answered: res.headersSent });
    done();
    if (body) res.end(`read ${body.length} bytes: ${body.toString('utf8').slice(0, 40)}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A raw connection, so the test decides exactly which bytes the client sends and when. */
async function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (d) => (text += d.toString('utf8')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

const head = (length: number | 'chunked', path = '/') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\n${length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`}\r\n\r\n`;

async function until(check: () => boolean, ms = 1500): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (check()) return true;
  return check();
}

describe('the request body limit', () => {
  it('hands a body up to the limit, byte for byte, to the handler', async () => {
    const body = 'é'.repeat(LIMIT / 2);
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
    expect(await res.text()).toBe(`read ${LIMIT} bytes: ${body.slice(0, 40)}`);
    expect(seen).toEqual([{ body: Buffer.from(body), answered: false }]);
  });

  it('hands an empty body up as an empty buffer, not as "answered already"', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
    expect(await res.text()).toBe('read 0 bytes: ');
  });

  it('is one megabyte unless the caller says otherwise', async () => {
    expect(MAX_BODY_BYTES).toBe(1024 * 1024);
    const within = await fetch(`http://127.0.0.1:${port}/default`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES) });
    expect(await within.text()).toMatch(new RegExp(`^read ${MAX_BODY_BYTES} bytes`));
    const over = await fetch(`http://127.0.0.1:${port}/default`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: `request body over the limit of ${MAX_BODY_BYTES} bytes` });
  });

  it('answers 413 to a declared length over the limit before a single byte of the body is sent', async () => {
    const client = await open();
    client.socket.write(head(LIMIT + 1));
    expect(await until(() => client.received().endsWith('\r\n0\r\n\r\n'))).toBe(true);
    const [status, ...rest] = client.received().split('\r\n');
    expect(status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(rest).toContain('content-type: application/json; charset=utf-8');
    expect(JSON.parse(rest.find((l) => l.startsWith('{'))!)).toEqual({ error: `request body over the limit of ${LIMIT} bytes` });
    expect(seen).toEqual([{ body: undefined, answered: true }]);
    client.socket.destroy();
  });

  it('stops reading a body without a declared length once it passes the limit', async () => {
    const client = await open();
    client.socket.write(head('chunked'));
    client.socket.write(`${(LIMIT).toString(16)}\r\n${'x'.repeat(LIMIT)}\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    client.socket.write(`1\r\nx\r\n`);
    expect(await until(() => client.received().startsWith('HTTP/1.1 413'))).toBe(true);
    expect(seen).toEqual([{ body: undefined, answered: true }]);
    client.socket.destroy();
  });

  it('lets a client still uploading read the 413, then cuts it off instead of reading on forever', async () => {
    const client = await open();
    client.socket.write(head(10 * LIMIT));
    client.socket.write('x'.repeat(2 * LIMIT));
    expect(await until(() => client.received().startsWith('HTTP/1.1 413'))).toBe(true);
    const answeredAt = Date.now();
    // It keeps sending for a second: the connection stays open meanwhile.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 200));
      expect(client.socket.destroyed).toBe(false);
      client.socket.write('x'.repeat(LIMIT));
    }
    await client.closed;
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - answeredAt).toBeLessThan(3500);
  });

  it('keeps the connection of a client that finished its oversized upload', async () => {
    const client = await open();
    client.socket.write(head(2 * LIMIT));
    client.socket.write('x'.repeat(2 * LIMIT));
    expect(await until(() => client.received().startsWith('HTTP/1.1 413'))).toBe(true);
    // Past the moment a client still uploading would be cut off, the same connection serves a request.
    await new Promise((r) => setTimeout(r, 2500));
    expect(client.socket.destroyed).toBe(false);
    client.socket.write(`${head(2)}ok`);
    expect(await until(() => client.received().includes('read 2 bytes: ok'))).toBe(true);
    client.socket.destroy();
  });

  it('answers nothing to a client that leaves mid-body, and its handler reads no body', async () => {
    const client = await open();
    client.socket.write(head(LIMIT));
    client.socket.write('x'.repeat(10));
    await new Promise((r) => setTimeout(r, 50));
    client.socket.destroy();
    await handled;
    expect(seen).toEqual([{ body: undefined, answered: false }]);
  });

  it('closes the connection of a client that stops sending mid-body', async () => {
    const client = await open();
    client.socket.write(head(LIMIT));
    client.socket.write('x'.repeat(10));
    // Half-closed: it says it is done writing, short of the length it declared, and still listens.
    client.socket.end();
    await handled;
    expect(seen).toEqual([{ body: undefined, answered: false }]);
    await client.closed;
    expect(client.received()).not.toContain('413');
  });
});
