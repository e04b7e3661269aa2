-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "removedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "durationMinutes" INTEGER;

-- CreateTable
CREATE TABLE "Absence" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "firstDay" DATE NOT NULL,
    "lastDay" DATE NOT NULL,
    "delegateId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Absence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Absence_partnershipId_lastDay_idx" ON "Absence"("partnershipId", "lastDay");

-- CreateIndex
CREATE INDEX "Absence_personId_idx" ON "Absence"("personId");

-- AddForeignKey
ALTER TABLE "Absence" ADD CONSTRAINT "Absence_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Absence" ADD CONSTRAINT "Absence_delegateId_fkey" FOREIGN KEY ("delegateId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;



-- A calendar shows a meeting's length and whether it is cancelled: changing either raises SEQUENCE.
CREATE OR REPLACE FUNCTION "meeting_calendar_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."kind", NEW."title", NEW."format", NEW."actionId", NEW."whenKind", NEW."whenStart", NEW."whenEnd", NEW."whenTentative", NEW."startsAt", NEW."durationMinutes", NEW."location", NEW."link", NEW."notes", NEW."cancelledAt", NEW."cancelReason")
     IS DISTINCT FROM (OLD."kind", OLD."title", OLD."format", OLD."actionId", OLD."whenKind", OLD."whenStart", OLD."whenEnd", OLD."whenTentative", OLD."startsAt", OLD."durationMinutes", OLD."location", OLD."link", OLD."notes", OLD."cancelledAt", OLD."cancelReason") THEN
    NEW."revision" := OLD."revision" + 1;
  END IF;
  RETURN NEW;
END $$;
