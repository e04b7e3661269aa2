// Calls the reads kept in the database as PL/pgSQL functions (migration 20261129050000_stored_reads):
// the ones every command makes, whose plans PostgreSQL keeps for the session instead of making them
// anew on each call (issue 15). Each function answers one JSON value; the dates in it come back as
// the Date objects Prisma would have given, so callers cannot tell the two reads apart.
import { Prisma } from '@prisma/client';
import { sqlRunnerOf, type Db } from './database.ts';

/**
 * `call` is the function call with its parameters cast, e.g. `partnerbot_action_list($1::text)`: the
 * casts pick the function whichever driver sends the values. Outside a transaction the call skips
 * Prisma (whose own work per query is most of the cost here); inside one it must go through it.
 */
export async function callStored<T>(db: Db, call: string, args: unknown[]): Promise<T> {
  const sql = `SELECT ${call} AS answer`;
  const runner = sqlRunnerOf(db);
  const [row] = runner ? await runner.query<{ answer: T }>(sql, args) : await db.$queryRawUnsafe<{ answer: T }[]>(sql, ...args);
  return row!.answer;
}

type ModelName = Prisma.ModelName;

const dateFields = new Map<ModelName, string[]>();

/** The model's DateTime fields (a `@db.Date` one included): JSON holds them as text. */
function dateFieldsOf(model: ModelName): string[] {
  let fields = dateFields.get(model);
  if (!fields) {
    fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)!.fields.filter((f) => f.type === 'DateTime').map((f) => f.name);
    dateFields.set(model, fields);
  }
  return fields;
}

/**
 * to_json writes a `date` as "2025-11-20" and a `timestamp(3)` (no zone; Prisma stores UTC) as
 * "2025-11-20T10:00:00.123": both read as UTC, as Prisma reads them.
 */
function utcDate(text: string): Date {
  return new Date(text.length === 10 ? text : `${text}Z`);
}

/** `row` (a model's fields, as JSON gives them) with its DateTime fields made Dates again. */
export function revive<T>(model: ModelName, row: Record<string, unknown>): T;
export function revive<T>(model: ModelName, row: Record<string, unknown> | null): T | null;
export function revive<T>(model: ModelName, row: Record<string, unknown> | null): T | null {
  if (!row) return null;
  for (const field of dateFieldsOf(model)) {
    const value = row[field];
    if (typeof value === 'string') row[field] = utcDate(value);
  }
  return row as T;
}
