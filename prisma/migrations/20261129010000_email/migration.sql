-- CreateTable
CREATE TABLE "UsedActionLink" (
    "tokenId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedActionLink_pkey" PRIMARY KEY ("tokenId")
);

-- CreateTable
CREATE TABLE "InstanceSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstanceSecret_pkey" PRIMARY KEY ("name")
);

