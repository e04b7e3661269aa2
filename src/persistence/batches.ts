// PostgreSQL takes at most 65,535 parameters in one statement, and Prisma sends each value of an `in`
// list as one: a list of ids as long as a large plan's (the scheduler reads every activity's steps)
// is read in batches, or the statement is refused.
export const IN_LIST_BATCH = 10_000;

/** `read` over `ids` in batches small enough for one statement each; the answers, in order. */
export async function inBatches<T>(ids: readonly string[], read: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < ids.length; start += IN_LIST_BATCH) {
    for (const row of await read(ids.slice(start, start + IN_LIST_BATCH))) out.push(row);
  }
  return out;
}
