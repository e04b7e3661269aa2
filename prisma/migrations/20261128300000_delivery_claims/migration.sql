-- CreateTable
CREATE TABLE "DeliveryClaim" (
    "platform" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryClaim_pkey" PRIMARY KEY ("platform","key")
);

-- CreateIndex
CREATE INDEX "DeliveryClaim_claimedAt_idx" ON "DeliveryClaim"("claimedAt");

