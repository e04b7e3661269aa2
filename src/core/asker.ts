// Where and who is asking, in one round trip. Every command needs the partnership, the person behind
// the account and their roles before it runs, and Prisma spends more time preparing each of the five
// queries this would take than the database spends answering them (issue 15: a command's p50 against
// one `SELECT 1`). One stored read, partnerbot_asker (migration 20261129050000_stored_reads), reads
// all three. The partnership is the one a signed link names, else the channel's, else the
// workspace's, else the configured one, else the database's only one; the person is the link's, or
// the account's in that partnership; roles are held by the person or by their organisation.
import type { Partnership, Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import { callStored, revive } from '../persistence/stored-reads.ts';
import type { Roles } from './context.ts';

export interface AskerWhere {
  platform: string;
  workspaceId: string;
  /** The account on the platform; without it, nobody is identified (only the partnership is looked up). */
  userId?: string | undefined;
  channelId?: string | undefined;
  /** From a signed link: the partnership and person it was made for, taken at their word. */
  trustedPartnershipId?: string | undefined;
  trustedPersonId?: string | undefined;
  /** The configured partnership, for a workspace and channel that are not bound to one; failing
   * that, the database's only partnership. */
  defaultSlug?: string | undefined;
}

export interface Asker {
  /** Null when nothing names one and the database holds none, or several. */
  partnership: Partnership | null;
  /** The linked person, kept only in their own partnership (a trusted link's person always). */
  person: Person | null;
  roles: Roles;
}

interface AskerJson {
  partnership: Record<string, unknown> | null;
  person: Record<string, unknown> | null;
  roles: string[];
  coLeads: number[];
  memberOf: number[];
}

export async function findAsker(db: Db, where: AskerWhere): Promise<Asker> {
  const found = await callStored<AskerJson>(db, 'partnerbot_asker($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text)', [
    where.trustedPartnershipId ?? null,
    where.platform,
    where.workspaceId,
    where.channelId ?? null,
    where.defaultSlug ?? null,
    where.trustedPersonId ?? null,
    where.userId ?? null,
  ]);
  return {
    partnership: revive<Partnership>('Partnership', found.partnership),
    person: revive<Person>('Person', found.person),
    roles: {
      coordinator: found.roles.includes('coordinator'),
      secretariat: found.roles.includes('secretariat'),
      coLeads: found.coLeads,
      memberOf: found.memberOf,
    },
  };
}
