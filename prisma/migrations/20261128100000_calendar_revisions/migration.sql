-- AlterTable
ALTER TABLE "Activity" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Output" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;


-- A calendar app replaces its copy of an event only when SEQUENCE grows (RFC 5545 §3.8.7.4). The
-- revision is raised here, in the database, so that every writer (chat commands, a re-import, a
-- future one) counts a change the same way; a change to a field no calendar shows (snooze, the
-- import's memory of the file) leaves it alone.
CREATE FUNCTION "activity_calendar_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."title", NEW."description", NEW."whenKind", NEW."whenStart", NEW."whenEnd", NEW."whenTentative", NEW."status", NEW."notes")
     IS DISTINCT FROM (OLD."title", OLD."description", OLD."whenKind", OLD."whenStart", OLD."whenEnd", OLD."whenTentative", OLD."status", OLD."notes") THEN
    NEW."revision" := OLD."revision" + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "activity_calendar_revision" BEFORE UPDATE ON "Activity" FOR EACH ROW EXECUTE FUNCTION "activity_calendar_revision"();

CREATE FUNCTION "output_calendar_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."title", NEW."kind", NEW."whenKind", NEW."whenStart", NEW."whenEnd", NEW."whenTentative", NEW."status", NEW."link", NEW."notes")
     IS DISTINCT FROM (OLD."title", OLD."kind", OLD."whenKind", OLD."whenStart", OLD."whenEnd", OLD."whenTentative", OLD."status", OLD."link", OLD."notes") THEN
    NEW."revision" := OLD."revision" + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "output_calendar_revision" BEFORE UPDATE ON "Output" FOR EACH ROW EXECUTE FUNCTION "output_calendar_revision"();

CREATE FUNCTION "meeting_calendar_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."kind", NEW."title", NEW."format", NEW."actionId", NEW."whenKind", NEW."whenStart", NEW."whenEnd", NEW."whenTentative", NEW."startsAt", NEW."location", NEW."link", NEW."notes")
     IS DISTINCT FROM (OLD."kind", OLD."title", OLD."format", OLD."actionId", OLD."whenKind", OLD."whenStart", OLD."whenEnd", OLD."whenTentative", OLD."startsAt", OLD."location", OLD."link", OLD."notes") THEN
    NEW."revision" := OLD."revision" + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "meeting_calendar_revision" BEFORE UPDATE ON "Meeting" FOR EACH ROW EXECUTE FUNCTION "meeting_calendar_revision"();
