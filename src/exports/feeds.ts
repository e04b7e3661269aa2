// Secret calendar feeds. Calendar apps cannot log in, so the URL itself is the credential: it is
// random, shown once, and only its hash is stored, so a database dump hands out no working feeds.
import { createHash, randomBytes } from 'node:crypto';
import type { CalendarFeed, Partnership } from '@prisma/client';
import { rolesOf } from '../core/context.ts';
import type { Db } from '../persistence/database.ts';
import type { CalendarScope } from './calendar-events.ts';

/** 32 random bytes: unguessable, and URL-safe without escaping. */
export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const isFeedToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

export function feedPath(token: string): string {
  return `/calendar/${token}.ics`;
}

/**
 * What a stored feed shows today: "mine" feeds follow the person, so joining or leaving an action
 * group changes the feed without a new URL.
 */
export async function feedScope(db: Db, feed: CalendarFeed): Promise<{ partnership: Partnership; scope: CalendarScope } | null> {
  const partnership = await db.partnership.findUnique({ where: { id: feed.partnershipId } });
  if (!partnership) return null;
  if (feed.actionId) {
    const action = await db.action.findUnique({ where: { id: feed.actionId } });
    return action ? { partnership, scope: { actionNumbers: [action.number], label: `A${action.number} ${action.shortTitle}` } } : null;
  }
  if (feed.personId) {
    const person = await db.person.findUnique({ where: { id: feed.personId } });
    if (!person) return null;
    const roles = await rolesOf(db, partnership.id, person);
    return { partnership, scope: { actionNumbers: roles.memberOf, label: `${person.name}'s Actions` } };
  }
  return { partnership, scope: {} };
}
