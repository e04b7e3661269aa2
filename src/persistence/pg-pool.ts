// The node-postgres pool behind DATABASE_URL, bounded in time everywhere: a network that silently
// drops packets must turn into a clear error within seconds, not a query that hangs for minutes
// while stuck connections fill the pool.
import pg from 'pg';

export interface PoolSettings {
  /** Opening one connection (TCP, TLS, authentication). */
  connectTimeoutMs: number;
  /** Getting a connection from the pool, opening one included; pg-pool bounds both with this one. */
  acquireTimeoutMs: number;
  /** The server cancels a statement after this; the client gives up on an answer a moment later. */
  statementTimeoutMs: number;
  /** TCP keepalive probes after this long idle (0: off), so that a dead peer is noticed when idle. */
  keepAliveMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = { connectTimeoutMs: 5000, acquireTimeoutMs: 10_000, statementTimeoutMs: 15_000, keepAliveMs: 10_000 };

// The server's own statement_timeout error is the clearer one: wait that long past it before deciding
// that no answer is coming because the connection itself is gone.
const ANSWER_GRACE_MS = 1000;

export const POOL_SIZE = 10;

/**
 * A connection whose query got no answer in time is ended (pg then destroys its socket): its
 * protocol state is unknown, and handed back to the pool it would hang the next query too. The error
 * says what happened instead of pg's "Query read timeout".
 */
function endOnNoAnswer(client: pg.PoolClient, answerMs: number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const explain = (e: unknown) => {
    if (!(e instanceof Error && e.message === 'Query read timeout')) return e;
    void client.end().catch(() => {});
    return new Error(`the database did not answer within ${answerMs} ms; the connection was dropped`);
  };
  client.query = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => (callback as (e: unknown, r: unknown) => void)(err && explain(err), res);
      return query(...args);
    }
    const result = query(...args);
    return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(explain(e))) : result;
  }) as typeof client.query;
}

function timeouts(settings: PoolSettings): pg.ClientConfig {
  return {
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: settings.keepAliveMs > 0,
    keepAliveInitialDelayMillis: settings.keepAliveMs,
  };
}

export function createPool(connectionString: string, settings: PoolSettings = DEFAULT_POOL_SETTINGS): pg.Pool {
  const connectTimeouts = timeouts(settings);
  // pg-pool hands its own options to each connection: the acquire timeout would also become the connect timeout.
  class BoundedClient extends pg.Client {
    constructor(config: pg.ClientConfig = {}) {
      super({ ...config, ...connectTimeouts });
    }
  }
  const answerMs = settings.statementTimeoutMs + ANSWER_GRACE_MS;
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    Client: BoundedClient,
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: answerMs,
  });
  pool.on('connect', (client) => endOnNoAnswer(client, answerMs));
  // A dropped connection (server restart) must not crash the process; the pool reconnects on next use.
  pool.on('error', () => {});
  return pool;
}

/**
 * One session for migrations, without the statement bounds: a migration may rightly run long, or
 * wait for another replica's migration lock.
 */
export function migrationClient(connectionString: string, settings: PoolSettings = DEFAULT_POOL_SETTINGS): pg.Client {
  return new pg.Client({ connectionString, ...timeouts(settings) });
}
