-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "target" JSONB;

