-- AlterTable
ALTER TABLE "CalendarFeed" ADD COLUMN     "createdById" TEXT;

-- CreateIndex
CREATE INDEX "CalendarFeed_partnershipId_createdById_idx" ON "CalendarFeed"("partnershipId", "createdById");

