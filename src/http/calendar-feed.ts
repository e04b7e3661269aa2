// GET /calendar/<token>.ics, independent of any HTTP framework: the server that mounts it only maps
// the path to a token and copies status, headers and body into its response.
import type { HttpServer } from './server.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../persistence/database.ts';
import { calendarEvents, calendarName } from '../exports/calendar-events.ts';
import { feedScope, hashFeedToken, isFeedToken } from '../exports/feeds.ts';
import { buildCalendar } from '../exports/ics.ts';

export interface FeedResponse {
  status: 200 | 404;
  headers: Record<string, string>;
  body: string;
}

// Unknown, malformed and revoked tokens answer alike, so a probe learns nothing about which exist.
const NOT_FOUND: FeedResponse = {
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body: 'No such calendar.\n',
};

/** `token` may be given with or without its ".ics" suffix. */
export async function handleCalendarFeed(db: Db, token: string, clock: Clock): Promise<FeedResponse> {
  const bare = token.replace(/\.ics$/, '');
  if (!isFeedToken(bare)) return NOT_FOUND;
  const feed = await db.calendarFeed.findUnique({ where: { tokenHash: hashFeedToken(bare) } });
  if (!feed || feed.revokedAt) return NOT_FOUND;
  const found = await feedScope(db, feed);
  if (!found) return NOT_FOUND;
  const events = await calendarEvents(db, found.partnership, found.scope);
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `inline; filename="${found.partnership.slug}.ics"`,
      // The URL is a secret: shared caches must not keep a copy.
      'Cache-Control': 'private, max-age=300',
    },
    body: buildCalendar({ name: calendarName(found.partnership, found.scope), stamp: clock.now(), events }),
  };
}

/** Mounts the feeds at /calendar/<secret token>.ics on the bot's HTTP server (see docs/calendar.md). */
export function registerCalendarRoutes(http: HttpServer, db: Db, clock: Clock): void {
  http.addRoute('GET', '/calendar', async ({ rest }, res) => {
    const feed = await handleCalendarFeed(db, rest.replace(/^\//, ''), clock);
    res.writeHead(feed.status, feed.headers).end(feed.body);
  });
}
