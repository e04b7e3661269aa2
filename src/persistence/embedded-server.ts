// Serves the embedded database to the other partnerbot processes of this machine over a Unix socket,
// speaking PostgreSQL's wire protocol, so `shell`, `tick`, `import` and `export` started beside a
// running bot use its database instead of opening the same files a second time (which destroys data).
//
// PGlite is one PostgreSQL session. Clients therefore take turns by whole transactions: a connection
// that sends a message holds the session until the backend is idle again (ReadyForQuery 'I'), so no
// statement of one client ever runs inside another's transaction, and an extended-protocol exchange
// (Parse, Bind, Execute, Sync) is never interleaved with another's. The owning process reaches its own
// database through this socket too: one gate for everyone.
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** A client idle inside a transaction this long is disconnected (and rolled back): it blocks everyone. */
export const IDLE_IN_TRANSACTION_MS = 30_000;

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

/** FIFO turn-taking for the one session. */
class Turns {
  private holder: object | null = null;
  private readonly queue: { who: object; go: () => void }[] = [];

  async take(who: object): Promise<void> {
    if (this.holder === who) return;
    if (this.holder === null) {
      this.holder = who;
      return;
    }
    await new Promise<void>((go) => this.queue.push({ who, go }));
  }

  holds(who: object): boolean {
    return this.holder === who;
  }

  release(who: object): void {
    if (this.holder !== who) {
      const i = this.queue.findIndex((q) => q.who === who);
      if (i >= 0) this.queue.splice(i, 1);
      return;
    }
    const next = this.queue.shift();
    this.holder = next?.who ?? null;
    next?.go();
  }
}

/** True when a backend response ends with ReadyForQuery and the session is idle (not in a transaction). */
function endsIdle(response: Uint8Array): boolean {
  const n = response.length;
  return n >= 6 && response[n - 6] === 0x5a /* Z */ && response[n - 1] === 0x49 /* I */;
}

function endsReady(response: Uint8Array): boolean {
  const n = response.length;
  return n >= 6 && response[n - 6] === 0x5a;
}

/** Splits complete protocol messages off the front of `buffer`; the first one of a connection has no type byte. */
function takeMessage(buffer: Buffer, started: boolean): { message: Buffer; rest: Buffer } | null {
  if (!started) {
    if (buffer.length < 4) return null;
    const length = buffer.readInt32BE(0);
    return buffer.length >= length ? { message: buffer.subarray(0, length), rest: buffer.subarray(length) } : null;
  }
  if (buffer.length < 5) return null;
  const length = 1 + buffer.readInt32BE(1);
  return buffer.length >= length ? { message: buffer.subarray(0, length), rest: buffer.subarray(length) } : null;
}

export interface EmbeddedServer {
  readonly path: string;
  /**
   * Stops taking connections, then waits for the other processes still connected to finish (their
   * pools drop idle connections within seconds); `onWait` is told once if that takes a while. A
   * process that connects later finds no socket and serves the database itself.
   */
  close(onWait?: (connections: number) => void): Promise<void>;
}

export async function serveEmbedded(lite: PGlite, socketPath: string, onError: (e: Error) => void = () => {}): Promise<EmbeddedServer> {
  const turns = new Turns();
  const connections = new Set<Socket>();

  const serveConnection = (socket: Socket) => {
    connections.add(socket);
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let busy = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const me = {};

    const finish = async () => {
      clearTimeout(idleTimer);
      connections.delete(socket);
      if (!turns.holds(me)) return turns.release(me);
      // A client gone mid-transaction (killed, timed out) must not leave its work half-applied or the
      // session blocked for the next one.
      try {
        if (lite.isInTransaction()) await lite.exec('ROLLBACK');
      } catch (e) {
        onError(e as Error);
      }
      turns.release(me);
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const next = takeMessage(buffer, started);
          if (!next) break;
          buffer = next.rest;
          const { message } = next;
          if (!started) {
            const code = message.length >= 8 ? message.readInt32BE(4) : 0;
            if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
              socket.write('N');
              continue;
            }
            if (code === CANCEL_REQUEST) {
              socket.end();
              return;
            }
            started = true;
          }
          clearTimeout(idleTimer);
          // Terminate ends this connection, not the one session everybody shares: close handles the rest.
          if (started && message[0] === 0x58 && message.length === 5) {
            socket.end();
            return;
          }
          await turns.take(me);
          if (socket.destroyed) return;
          const response = await lite.runExclusive(() => lite.execProtocolRaw(new Uint8Array(message.buffer, message.byteOffset, message.length)));
          if (response.length) socket.write(response);
          if (endsIdle(response)) turns.release(me);
          else if (endsReady(response))
            idleTimer = setTimeout(() => socket.destroy(new Error('idle in transaction')), IDLE_IN_TRANSACTION_MS).unref();
        }
      } catch (e) {
        onError(e as Error);
        socket.destroy();
      } finally {
        busy = false;
      }
      if (takeMessage(buffer, started)) void pump();
    };

    socket.on('data', (chunk) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      void pump();
    });
    socket.on('error', () => {});
    socket.on('close', () => void finish());
  };

  await rm(socketPath, { force: true });
  const server: Server = createServer(serveConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Only this user's processes may reach the database: the socket has no password.
  await chmod(socketPath, 0o600);
  return {
    path: socketPath,
    close: async (onWait) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
      const told = setTimeout(() => onWait?.(connections.size), 1_000);
      await closed;
      clearTimeout(told);
    },
  };
}
