// Where and who is asking, in one round trip. Every command needs the partnership, the person behind
// the account and their roles before it runs, and Prisma spends more time preparing each of the five
// queries this would take than the database spends answering them (issue 15: a command's p50 against
// one `SELECT 1`). One statement reads all three; the rules are the ones bot.ts and rolesOf() state.
import { Prisma, type Partnership, type Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
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

/** Every column of a model, selected as "<alias>.<field>": one row carries two models without clashes. */
function columns(model: 'Partnership' | 'Person', alias: string): string {
  const fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)!.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
  return fields.map((f) => `${alias}."${f.name}" AS "${alias}.${f.name}"`).join(', ');
}

/** Fields of `row` under "<alias>.", as the model; null when the left join found no row. */
function model<T>(row: Record<string, unknown>, alias: string): T | null {
  if (row[`${alias}.id`] === null) return null;
  const prefix = `${alias}.`;
  return Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : []))) as T;
}

// A role held by the person, or by their organisation, counts (as in rolesOf).
const HELD_BY = `(r."personId" = person.id OR r."organisationId" = person."organisationId")`;

let statement: string | undefined;

/** Built once, from the schema: the text holds column names only, every value is a parameter. */
function askerStatement(): string {
  statement ??= `/* who asks */
WITH partnership AS (
  SELECT p.* FROM (
    SELECT id, 0 AS rank FROM "Partnership" WHERE id = $1
    UNION ALL SELECT "partnershipId", 1 FROM "ChannelBinding" WHERE platform = $2 AND "workspaceId" = $3 AND "channelId" = $4
    UNION ALL SELECT "partnershipId", 2 FROM "WorkspaceBinding" WHERE platform = $2 AND "workspaceId" = $3
    UNION ALL SELECT id, 3 FROM "Partnership" WHERE slug = $5
    UNION ALL SELECT id, 4 FROM "Partnership" WHERE (SELECT count(*) FROM "Partnership") = 1
  ) bound JOIN "Partnership" p ON p.id = bound.id
  ORDER BY bound.rank LIMIT 1
), identified AS (
  SELECT p.* FROM "Person" p WHERE p.id = $6 AND p."removedAt" IS NULL
  UNION ALL
  SELECT p.* FROM "ChatIdentity" i JOIN "Person" p ON p.id = i."personId"
  WHERE $6::text IS NULL AND i.platform = $2 AND i."workspaceId" = $3 AND i."externalId" = $7 AND p."removedAt" IS NULL
), person AS (
  SELECT identified.* FROM identified LEFT JOIN partnership ON true
  WHERE $6::text IS NOT NULL OR identified."partnershipId" = partnership.id
)
SELECT ${columns('Partnership', 'partnership')}, ${columns('Person', 'person')},
  coalesce((SELECT array_agg(DISTINCT r.role::text) FROM "PartnershipRole" r WHERE r."partnershipId" = partnership.id AND ${HELD_BY}), '{}') AS roles,
  coalesce(actions."coLeads", '{}') AS "coLeads", coalesce(actions."memberOf", '{}') AS "memberOf"
FROM (SELECT 1) one LEFT JOIN partnership ON true LEFT JOIN person ON true
LEFT JOIN LATERAL (
  -- array_agg(DISTINCT …) sorts: Action numbers come in ascending order.
  SELECT array_agg(DISTINCT a.number) FILTER (WHERE r.role = 'co_leader') AS "coLeads", array_agg(DISTINCT a.number) AS "memberOf"
  FROM "ActionRole" r JOIN "Action" a ON a.id = r."actionId"
  WHERE a."partnershipId" = partnership.id AND ${HELD_BY}
) actions ON true`;
  return statement;
}

export async function findAsker(db: Db, where: AskerWhere): Promise<Asker> {
  const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    askerStatement(),
    where.trustedPartnershipId ?? null,
    where.platform,
    where.workspaceId,
    where.channelId ?? null,
    where.defaultSlug ?? null,
    where.trustedPersonId ?? null,
    where.userId ?? null,
  );
  const roles = row!.roles as string[];
  return {
    partnership: model<Partnership>(row!, 'partnership'),
    person: model<Person>(row!, 'person'),
    roles: {
      coordinator: roles.includes('coordinator'),
      secretariat: roles.includes('secretariat'),
      coLeads: row!.coLeads as number[],
      memberOf: row!.memberOf as number[],
    },
  };
}
