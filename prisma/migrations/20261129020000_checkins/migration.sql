-- CreateTable
CREATE TABLE "CheckIn" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "round" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "items" JSONB NOT NULL,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckInAnswer" (
    "checkInId" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "answeredById" TEXT,
    "answeredBy" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckInAnswer_pkey" PRIMARY KEY ("checkInId","n")
);

-- CreateIndex
CREATE INDEX "CheckIn_partnershipId_idx" ON "CheckIn"("partnershipId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_actionId_round_key" ON "CheckIn"("actionId", "round");

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInAnswer" ADD CONSTRAINT "CheckInAnswer_checkInId_fkey" FOREIGN KEY ("checkInId") REFERENCES "CheckIn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

