// Who is asking, in which partnership, at what instant: everything a command handler may rely on.
import type { Partnership, Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import type { Clock } from './clock.ts';
import type { CommandRegistry } from './registry.ts';
import { localDay } from './clock.ts';

/**
 * Where a command came from: an adapter's name ("slack", "discord", "shell"), or "scheduler" and
 * "import" for the bot's own changes. Open, so a new adapter needs no change here.
 */
export type Platform = string;

export interface Actor {
  platform: Platform;
  workspaceId: string;
  /** The platform's user id ("U123" on Slack); for the shell, the local user name. */
  userId: string;
  displayName: string;
  /** The linked person, or null for a chat user who has not redeemed an invite code yet. */
  person: Person | null;
}

export interface Roles {
  coordinator: boolean;
  secretariat: boolean;
  /** Action numbers whose co-leader organisations include the person's (or the person directly). */
  coLeads: number[];
  /** Action numbers where the person's organisation (or the person) is in the action group. */
  memberOf: number[];
}

export interface CommandContext {
  db: Db;
  clock: Clock;
  partnership: Partnership;
  actor: Actor;
  roles: Roles;
  /** The channel the command came from, when it has one. */
  channelId?: string;
  registry: CommandRegistry;
  /** Today's calendar day in the partnership's time zone. */
  today(): string;
  /** The HTTP server's base URL as calendar apps reach it, without a trailing slash. */
  publicUrl: string;
}

export function makeToday(clock: Clock, partnership: Partnership): () => string {
  return () => localDay(clock.now(), partnership.timeZone);
}

export const NO_ROLES: Roles = { coordinator: false, secretariat: false, coLeads: [], memberOf: [] };

export async function rolesOf(db: Db, partnershipId: string, person: Person | null): Promise<Roles> {
  if (!person) return NO_ROLES;
  const whoIs = [{ personId: person.id }, ...(person.organisationId ? [{ organisationId: person.organisationId }] : [])];
  const [partnershipRoles, actionRoles] = await Promise.all([
    db.partnershipRole.findMany({ where: { partnershipId, OR: whoIs } }),
    db.actionRole.findMany({ where: { action: { partnershipId }, OR: whoIs }, include: { action: { select: { number: true } } } }),
  ]);
  const coLeads = actionRoles.filter((r) => r.role === 'co_leader').map((r) => r.action.number);
  return {
    coordinator: partnershipRoles.some((r) => r.role === 'coordinator'),
    secretariat: partnershipRoles.some((r) => r.role === 'secretariat'),
    coLeads: [...new Set(coLeads)].sort((a, b) => a - b),
    memberOf: [...new Set(actionRoles.map((r) => r.action.number))].sort((a, b) => a - b),
  };
}

export function actorLabel(actor: Actor): string {
  return actor.person ? actor.person.name : `${actor.displayName} (unlinked ${actor.platform} user)`;
}
