// Every request body is read through here, before anything else looks at it (a Slack signature
// check included): an unauthenticated client must not be able to make the bot hold megabytes.
// Slack's own payloads stay far below the limit: message text is capped at 40,000 characters, a
// message or modal at 50-100 blocks, and even fully percent-encoded such a payload is a few hundred
// KB. The calendar feeds and the operations endpoints take no body at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';

export const MAX_BODY_BYTES = 1024 * 1024;
const LINGER_MS = 2000;

/** raw-body rejects only with Error objects: its own carry a `type`, the request's stream errors do not. */
function isTooLarge(e: unknown): boolean {
  return (e as { type?: unknown }).type === 'entity.too.large';
}

/**
 * The request's whole body, or undefined once the request has been answered: 413 when the declared
 * Content-Length is over the limit (nothing is read) or when the bytes streamed so far pass it
 * (reading stops there); a client that aborts mid-body gets its socket closed.
 */
export async function readBodyWithinLimit(req: IncomingMessage, res: ServerResponse, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  try {
    return await getRawBody(req, { limit, length: req.headers['content-length'] ?? null });
  } catch (e) {
    if (!isTooLarge(e)) {
      req.destroy();
      return undefined;
    }
    const text = JSON.stringify({ error: `request body over the limit of ${limit} bytes` });
    res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
    // Closing at once would reset the connection under a client still uploading, often before it
    // reads the 413. The rest is discarded as it comes (nothing is kept) for a moment, then cut off.
    const cutOff = setTimeout(() => req.socket.destroy(), LINGER_MS);
    req.once('end', () => clearTimeout(cutOff));
    req.resume();
    return undefined;
  }
}
