-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "removedAt" TIMESTAMP(3);

