-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrgKind" AS ENUM ('city', 'region', 'national_government', 'transnational_network', 'eu_body', 'ngo', 'expert_group', 'secretariat', 'other');

-- CreateEnum
CREATE TYPE "PartnershipRoleKind" AS ENUM ('coordinator', 'secretariat', 'member');

-- CreateEnum
CREATE TYPE "ActionRoleKind" AS ENUM ('co_leader', 'member');

-- CreateEnum
CREATE TYPE "ItemStatus" AS ENUM ('planned', 'in_progress', 'done', 'delayed', 'cancelled');

-- CreateEnum
CREATE TYPE "OutputStatus" AS ENUM ('planned', 'drafting', 'in_review', 'validated', 'disseminated', 'cancelled');

-- CreateEnum
CREATE TYPE "OutputKind" AS ENUM ('report', 'recommendations', 'guidelines', 'questionnaire', 'mapping', 'capacity_building', 'webinar', 'study_visit', 'presentation', 'communication', 'other');

-- CreateEnum
CREATE TYPE "MeetingKind" AS ENUM ('plenary', 'action_group', 'virtual_exchange', 'webinar', 'study_visit', 'urban_academy', 'other');

-- CreateEnum
CREATE TYPE "MeetingFormat" AS ENUM ('in_person', 'online', 'hybrid');

-- CreateEnum
CREATE TYPE "WhenKind" AS ENUM ('day', 'month', 'range', 'quarter', 'year', 'unknown');

-- CreateEnum
CREATE TYPE "ChannelScope" AS ENUM ('partnership', 'secretariat', 'action');

-- CreateTable
CREATE TABLE "Partnership" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Brussels',
    "phase" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "nudgesPaused" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Partnership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organisation" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT,
    "kind" "OrgKind" NOT NULL,
    "country" TEXT,
    "aliases" TEXT[],
    "source" JSONB,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "organisationId" TEXT,
    "timeZone" TEXT,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" JSONB,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatIdentity" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnershipRole" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "role" "PartnershipRoleKind" NOT NULL,
    "organisationId" TEXT,
    "personId" TEXT,

    CONSTRAINT "PartnershipRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Action" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "shortTitle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "objective" TEXT NOT NULL,
    "implementation" TEXT[],
    "governanceLevels" TEXT[],
    "deadlineKind" "WhenKind" NOT NULL,
    "deadlineStart" DATE,
    "deadlineEnd" DATE,
    "deadlineTentative" BOOLEAN NOT NULL DEFAULT false,
    "deadlineText" TEXT NOT NULL,
    "risks" TEXT,
    "stakeholders" TEXT,
    "statePlay" TEXT,
    "statePlaySetBy" TEXT,
    "statePlaySetAt" TIMESTAMP(3),
    "notes" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "source" JSONB,

    CONSTRAINT "Action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionRole" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "role" "ActionRoleKind" NOT NULL,
    "organisationId" TEXT,
    "personId" TEXT,

    CONSTRAINT "ActionRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Activity" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "parentId" TEXT,
    "seq" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "whenKind" "WhenKind" NOT NULL,
    "whenStart" DATE,
    "whenEnd" DATE,
    "whenTentative" BOOLEAN NOT NULL DEFAULT false,
    "whenText" TEXT NOT NULL,
    "status" "ItemStatus" NOT NULL DEFAULT 'planned',
    "notes" TEXT,
    "createdInChat" BOOLEAN NOT NULL DEFAULT false,
    "snoozedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "source" JSONB,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Output" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "activityId" TEXT,
    "seq" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "OutputKind" NOT NULL,
    "whenKind" "WhenKind" NOT NULL,
    "whenStart" DATE,
    "whenEnd" DATE,
    "whenTentative" BOOLEAN NOT NULL DEFAULT false,
    "whenText" TEXT NOT NULL,
    "link" TEXT,
    "status" "OutputStatus" NOT NULL DEFAULT 'planned',
    "statusSetBy" TEXT,
    "statusSetAt" TIMESTAMP(3),
    "notes" TEXT,
    "createdInChat" BOOLEAN NOT NULL DEFAULT false,
    "snoozedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "source" JSONB,

    CONSTRAINT "Output_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "targetValue" DOUBLE PRECISION NOT NULL,
    "currentValue" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "unit" TEXT,
    "source" JSONB,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "kind" "MeetingKind" NOT NULL,
    "seq" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "format" "MeetingFormat",
    "actionId" TEXT,
    "whenKind" "WhenKind" NOT NULL,
    "whenStart" DATE,
    "whenEnd" DATE,
    "whenTentative" BOOLEAN NOT NULL DEFAULT false,
    "whenText" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3),
    "location" TEXT,
    "link" TEXT,
    "agendaFrozen" BOOLEAN NOT NULL DEFAULT false,
    "notes" TEXT,
    "createdInChat" BOOLEAN NOT NULL DEFAULT false,
    "source" JSONB,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "presenter" TEXT,
    "minutes" INTEGER,
    "actionId" TEXT,
    "submittedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "recordedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelBinding" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "scope" "ChannelScope" NOT NULL,
    "actionId" TEXT,
    "boundBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkspaceBinding" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,

    CONSTRAINT "WorkspaceBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InviteCode" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "InviteCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "partnershipId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "entityCode" TEXT NOT NULL,
    "verb" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Partnership_slug_key" ON "Partnership"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_partnershipId_key_key" ON "Organisation"("partnershipId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Person_partnershipId_key_key" ON "Person"("partnershipId", "key");

-- CreateIndex
CREATE INDEX "ChatIdentity_personId_idx" ON "ChatIdentity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatIdentity_platform_workspaceId_externalId_key" ON "ChatIdentity"("platform", "workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "PartnershipRole_partnershipId_role_organisationId_personId_key" ON "PartnershipRole"("partnershipId", "role", "organisationId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Action_partnershipId_number_key" ON "Action"("partnershipId", "number");

-- CreateIndex
CREATE INDEX "ActionRole_organisationId_idx" ON "ActionRole"("organisationId");

-- CreateIndex
CREATE INDEX "ActionRole_personId_idx" ON "ActionRole"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ActionRole_actionId_role_organisationId_personId_key" ON "ActionRole"("actionId", "role", "organisationId", "personId");

-- CreateIndex
CREATE INDEX "Activity_whenEnd_idx" ON "Activity"("whenEnd");

-- CreateIndex
CREATE INDEX "Activity_whenStart_idx" ON "Activity"("whenStart");

-- CreateIndex
CREATE UNIQUE INDEX "Activity_actionId_code_key" ON "Activity"("actionId", "code");

-- CreateIndex
CREATE INDEX "Output_whenEnd_idx" ON "Output"("whenEnd");

-- CreateIndex
CREATE UNIQUE INDEX "Output_actionId_code_key" ON "Output"("actionId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Target_actionId_key_key" ON "Target"("actionId", "key");

-- CreateIndex
CREATE INDEX "Meeting_whenStart_idx" ON "Meeting"("whenStart");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_partnershipId_code_key" ON "Meeting"("partnershipId", "code");

-- CreateIndex
CREATE INDEX "AgendaItem_meetingId_position_idx" ON "AgendaItem"("meetingId", "position");

-- CreateIndex
CREATE INDEX "ChannelBinding_partnershipId_scope_idx" ON "ChannelBinding"("partnershipId", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelBinding_platform_workspaceId_channelId_key" ON "ChannelBinding"("platform", "workspaceId", "channelId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceBinding_platform_workspaceId_key" ON "WorkspaceBinding"("platform", "workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "InviteCode_codeHash_key" ON "InviteCode"("codeHash");

-- CreateIndex
CREATE INDEX "AuditEntry_partnershipId_entityCode_idx" ON "AuditEntry"("partnershipId", "entityCode");

-- CreateIndex
CREATE INDEX "AuditEntry_partnershipId_at_idx" ON "AuditEntry"("partnershipId", "at");

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatIdentity" ADD CONSTRAINT "ChatIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnershipRole" ADD CONSTRAINT "PartnershipRole_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnershipRole" ADD CONSTRAINT "PartnershipRole_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnershipRole" ADD CONSTRAINT "PartnershipRole_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Action" ADD CONSTRAINT "Action_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionRole" ADD CONSTRAINT "ActionRole_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionRole" ADD CONSTRAINT "ActionRole_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionRole" ADD CONSTRAINT "ActionRole_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Output" ADD CONSTRAINT "Output_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Output" ADD CONSTRAINT "Output_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelBinding" ADD CONSTRAINT "ChannelBinding_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelBinding" ADD CONSTRAINT "ChannelBinding_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkspaceBinding" ADD CONSTRAINT "WorkspaceBinding_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InviteCode" ADD CONSTRAINT "InviteCode_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InviteCode" ADD CONSTRAINT "InviteCode_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_partnershipId_fkey" FOREIGN KEY ("partnershipId") REFERENCES "Partnership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

