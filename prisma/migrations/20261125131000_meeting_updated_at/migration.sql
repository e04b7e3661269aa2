-- AlterTable: existing meetings take the migration time, then the column behaves as Prisma's @updatedAt.
ALTER TABLE "Meeting" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "Meeting" ALTER COLUMN "updatedAt" DROP DEFAULT;
