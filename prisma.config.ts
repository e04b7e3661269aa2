// The Prisma CLI (generate, migrate diff/dev) runs fully offline through the JS engine and an
// in-memory PGlite; the running bot applies migrations itself (src/persistence/migrate.ts).
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { defineConfig } from 'prisma/config';

// Prisma 6.19 refuses to read a postgresql datasource without DATABASE_URL, and when it cannot read the
// schema it falls back to downloading native engines (impossible offline). The CLI never connects through
// this URL: every CLI command here goes through the adapter below.
process.env.DATABASE_URL ??= 'postgresql://cli-unused@localhost/unused';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    // pglite-prisma-adapter's typings pin an older @prisma/driver-adapter-utils; same runtime contract.
    return new PrismaPGlite(new PGlite()) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
});
