// The databases a benchmark runs on: the embedded one (in memory, as in the tests) and, when
// DATABASE_URL names a server, a scratch database created there and dropped afterwards.
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import type { Database } from '../src/persistence/database.ts';
import { freshDatabase } from '../test/support/database.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { loadWorkPlan } from '../src/workplan/load.ts';

export interface BenchDatabase extends Database {
  label: string;
  dispose(): Promise<void>;
}

export type DatabaseKind = 'embedded' | 'postgres';

export function availableKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
}

export async function benchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  const db = await freshDatabase(kind === 'embedded' ? null : process.env.DATABASE_URL!);
  const label = kind === 'embedded' ? 'embedded (PGlite, in memory)' : `PostgreSQL ${new URL(db.url!).host}`;
  return { ...db, label, dispose: () => db.drop() };
}

export const BENCH_TEAM = 'TBENCH';
export const BENCH_USER = 'UBENCH';

/** Imports the shipped plan and links a Slack user to its secretariat member; gives the partnership slug. */
export async function seedShippedPlan(db: Database): Promise<string> {
  const { partnershipId } = await importWorkPlan(db.prisma, await loadWorkPlan(SHIPPED_WORKPLAN));
  await linkBenchUser(db, partnershipId, 'demo-secretariat');
  return (await db.prisma.partnership.findUniqueOrThrow({ where: { id: partnershipId } })).slug;
}

export async function linkBenchUser(db: Database, partnershipId: string, personKey: string): Promise<void> {
  const person = await db.prisma.person.findFirstOrThrow({ where: { partnershipId, key: personKey } });
  await db.prisma.chatIdentity.create({ data: { personId: person.id, platform: 'slack', workspaceId: BENCH_TEAM, externalId: BENCH_USER } });
}
