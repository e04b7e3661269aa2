-- The reads every command makes, kept in the database as PL/pgSQL functions (issue 15). PostgreSQL
-- plans a plain statement anew each time it is sent, and for these statements planning took longer
-- than answering; a PL/pgSQL function keeps its plans for the rest of the session, in PGlite as on a
-- server. Each returns one JSON value; src/persistence/stored-reads.ts turns it back into the shapes
-- Prisma gives, and test/stored-reads.test.ts holds each equal to the Prisma query it replaces.

-- What is due reads each activity's open steps.
CREATE INDEX "Activity_parentId_idx" ON "Activity"("parentId");

-- Who asks, and where (src/core/asker.ts states the rules).
CREATE FUNCTION partnerbot_asker(trusted_partnership text, chat_platform text, workspace text, channel text, default_slug text, trusted_person text, chat_user text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  WITH partnership AS (
    SELECT p.* FROM (
      SELECT id, 0 AS rank FROM "Partnership" WHERE id = trusted_partnership
      UNION ALL SELECT "partnershipId", 1 FROM "ChannelBinding" WHERE platform = chat_platform AND "workspaceId" = workspace AND "channelId" = channel
      UNION ALL SELECT "partnershipId", 2 FROM "WorkspaceBinding" WHERE platform = chat_platform AND "workspaceId" = workspace
      UNION ALL SELECT id, 3 FROM "Partnership" WHERE slug = default_slug
      UNION ALL SELECT id, 4 FROM "Partnership" WHERE (SELECT count(*) FROM "Partnership") = 1
    ) bound JOIN "Partnership" p ON p.id = bound.id
    ORDER BY bound.rank LIMIT 1
  ), identified AS (
    SELECT p.* FROM "Person" p WHERE p.id = trusted_person AND p."removedAt" IS NULL
    UNION ALL
    SELECT p.* FROM "ChatIdentity" i JOIN "Person" p ON p.id = i."personId"
    WHERE trusted_person IS NULL AND i.platform = chat_platform AND i."workspaceId" = workspace AND i."externalId" = chat_user AND p."removedAt" IS NULL
  ), person AS (
    -- A trusted link's person always; otherwise only in the partnership found above.
    SELECT identified.* FROM identified LEFT JOIN partnership ON true
    WHERE trusted_person IS NOT NULL OR identified."partnershipId" = partnership.id
  )
  SELECT json_build_object(
    'partnership', to_json(partnership),
    'person', to_json(person),
    -- A role held by the person, or by their organisation, counts (as in rolesOf).
    'roles', coalesce((SELECT array_agg(DISTINCT r.role::text) FROM "PartnershipRole" r
      WHERE r."partnershipId" = partnership.id AND (r."personId" = person.id OR r."organisationId" = person."organisationId")), '{}'),
    'coLeads', coalesce(actions.co_leads, '{}'),
    'memberOf', coalesce(actions.member_of, '{}'))
  INTO answer
  FROM (SELECT 1) one LEFT JOIN partnership ON true LEFT JOIN person ON true
  LEFT JOIN LATERAL (
    -- array_agg(DISTINCT …) sorts: Action numbers come in ascending order.
    SELECT array_agg(DISTINCT a.number) FILTER (WHERE r.role = 'co_leader') AS co_leads, array_agg(DISTINCT a.number) AS member_of
    FROM "ActionRole" r JOIN "Action" a ON a.id = r."actionId"
    WHERE a."partnershipId" = partnership.id AND (r."personId" = person.id OR r."organisationId" = person."organisationId")
  ) actions ON true;
  RETURN answer;
END $$;

-- "actions": every Action with its deadline and its co-leaders, in the order the work plan names them
-- (ids grow with creation), as CO_LEADER_ROLES in src/domain/plan.ts selects them.
CREATE FUNCTION partnerbot_action_list(partnership text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  SELECT coalesce(json_agg(json_build_object(
    'number', a.number, 'shortTitle', a."shortTitle", 'title', a.title,
    'deadlineKind', a."deadlineKind", 'deadlineStart', a."deadlineStart", 'deadlineEnd', a."deadlineEnd", 'deadlineTentative', a."deadlineTentative",
    'roles', coalesce((
      SELECT json_agg(json_build_object(
        'role', r.role,
        'organisation', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('name', o.name, 'shortName', o."shortName") END,
        'person', CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object('name', pe.name) END) ORDER BY r.id)
      FROM "ActionRole" r LEFT JOIN "Organisation" o ON o.id = r."organisationId" LEFT JOIN "Person" pe ON pe.id = r."personId"
      WHERE r."actionId" = a.id AND r.role = 'co_leader'), '[]')
  ) ORDER BY a.number), '[]')
  INTO answer
  FROM "Action" a WHERE a."partnershipId" = partnership;
  RETURN answer;
END $$;

-- What can be due (src/domain/due.ts): open activities and outputs (closed: the statuses CLOSED_ITEM
-- and CLOSED_OUTPUT in src/domain/plan.ts name) of the partnership (of the given
-- Actions; all when null) that are dated and do not start after the horizon, each with its Action's
-- number; with soon_only, only those that end or start within [today, horizon] (an activity also when
-- an open step of it ends then). Each top-level activity brings its open, dated steps' windows.
CREATE FUNCTION partnerbot_due_rows(partnership text, action_numbers int[], today date, horizon date, soon_only boolean, closed_item text[], closed_output text[])
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  WITH actions AS (
    SELECT id, number FROM "Action" WHERE "partnershipId" = partnership AND (action_numbers IS NULL OR number = ANY (action_numbers))
  ), activities AS (
    SELECT a.*, ac.number AS action_number FROM "Activity" a JOIN actions ac ON ac.id = a."actionId"
    WHERE a.status::text <> ALL (closed_item) AND CASE WHEN soon_only THEN
      (a."whenEnd" >= today AND a."whenEnd" <= horizon) OR (a."whenStart" > today AND a."whenStart" <= horizon)
      OR EXISTS (SELECT 1 FROM "Activity" s WHERE s."parentId" = a.id AND s.status::text <> ALL (closed_item) AND s."whenEnd" >= today AND s."whenEnd" <= horizon)
    ELSE a."whenEnd" IS NOT NULL AND a."whenStart" <= horizon END
  ), outputs AS (
    SELECT o.*, ac.number AS action_number FROM "Output" o JOIN actions ac ON ac.id = o."actionId"
    WHERE o.status::text <> ALL (closed_output) AND CASE WHEN soon_only THEN
      (o."whenEnd" >= today AND o."whenEnd" <= horizon) OR (o."whenStart" > today AND o."whenStart" <= horizon)
    ELSE o."whenEnd" IS NOT NULL AND o."whenStart" <= horizon END
  )
  SELECT json_build_object(
    'activities', coalesce((SELECT json_agg(json_build_object(
      'code', a.code, 'title', a.title, 'status', a.status,
      'whenKind', a."whenKind", 'whenStart', a."whenStart", 'whenEnd', a."whenEnd", 'whenTentative', a."whenTentative",
      'action', json_build_object('number', a.action_number),
      'openSteps', CASE WHEN a."parentId" IS NULL THEN coalesce((
        SELECT json_agg(json_build_object('whenKind', s."whenKind", 'whenStart', s."whenStart", 'whenEnd', s."whenEnd", 'whenTentative', s."whenTentative"))
        FROM "Activity" s WHERE s."parentId" = a.id AND s.status::text <> ALL (closed_item) AND s."whenEnd" IS NOT NULL), '[]') END
    )) FROM activities a), '[]'),
    'outputs', coalesce((SELECT json_agg(json_build_object(
      'code', o.code, 'title', o.title, 'status', o.status,
      'whenKind', o."whenKind", 'whenStart', o."whenStart", 'whenEnd', o."whenEnd", 'whenTentative', o."whenTentative",
      'action', json_build_object('number', o.action_number)
    )) FROM outputs o), '[]'))
  INTO answer;
  RETURN answer;
END $$;

-- Absences of current members that touch the days from_day..to_day, earliest first, in the shape of
-- Absence in src/domain/absences.ts (a delegate removed from the roster is no delegate).
CREATE FUNCTION partnerbot_absences(partnership text, from_day date, to_day date)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  SELECT coalesce(json_agg(json_build_object(
    'id', a.id, 'personId', a."personId", 'personName', p.name, 'organisationId', p."organisationId", 'timeZone', p."timeZone",
    'firstDay', a."firstDay", 'lastDay', a."lastDay",
    'delegate', CASE WHEN d.id IS NULL OR d."removedAt" IS NOT NULL THEN NULL ELSE json_build_object('id', d.id, 'name', d.name) END
  ) ORDER BY a."firstDay", a."createdAt"), '[]')
  INTO answer
  FROM "Absence" a JOIN "Person" p ON p.id = a."personId" LEFT JOIN "Person" d ON d.id = a."delegateId"
  WHERE a."partnershipId" = partnership AND a."lastDay" >= from_day AND a."firstDay" <= to_day AND p."removedAt" IS NULL;
  RETURN answer;
END $$;

-- The next plenary not cancelled whose window has not ended by today: the whole Meeting row, or null.
CREATE FUNCTION partnerbot_next_plenary(partnership text, today date)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  SELECT to_json(m) INTO answer FROM "Meeting" m
  WHERE m."partnershipId" = partnership AND m.kind = 'plenary' AND m."cancelledAt" IS NULL AND m."whenEnd" >= today
  ORDER BY m."whenStart", m.seq LIMIT 1;
  RETURN answer;
END $$;

-- What the secretariat and the coordinators act on (src/domain/my-work.ts), in one call: what can be
-- due (the first seven parameters are partnerbot_due_rows's), the open agendas of plenaries not yet
-- held that start by agenda_until, with their item counts, and how many notifications failed for good.
CREATE FUNCTION partnerbot_partnership_work(partnership text, action_numbers int[], today date, horizon date, soon_only boolean, closed_item text[], closed_output text[], agenda_until date)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  SELECT json_build_object(
    'due', partnerbot_due_rows(partnership, action_numbers, today, horizon, soon_only, closed_item, closed_output),
    'agendas', coalesce((SELECT json_agg(json_build_object(
        'code', m.code, 'title', m.title, 'startsAt', m."startsAt",
        'whenKind', m."whenKind", 'whenStart', m."whenStart", 'whenEnd', m."whenEnd", 'whenTentative', m."whenTentative",
        'agendaItems', (SELECT count(*) FROM "AgendaItem" i WHERE i."meetingId" = m.id)
      ) ORDER BY m."whenStart", m.seq)
      FROM "Meeting" m
      WHERE m."partnershipId" = partnership AND m.kind = 'plenary' AND NOT m."agendaFrozen" AND m."whenEnd" >= today AND m."whenStart" <= agenda_until), '[]'),
    'failedNotifications', (SELECT count(*) FROM "OutboxMessage" o WHERE o."partnershipId" = partnership AND o.status = 'failed'))
  INTO answer;
  RETURN answer;
END $$;

-- "me" beside the person's work: their organisation's name, the next plenary, and their own absences
-- that touch today..away_until.
CREATE FUNCTION partnerbot_me(partnership text, person text, organisation text, today date, away_until date)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  answer json;
BEGIN
  SELECT json_build_object(
    'organisation', (SELECT o.name FROM "Organisation" o WHERE o.id = organisation),
    'nextPlenary', partnerbot_next_plenary(partnership, today),
    'absences', coalesce((SELECT json_agg(a) FROM json_array_elements(partnerbot_absences(partnership, today, away_until)) a WHERE a->>'personId' = person), '[]'))
  INTO answer;
  RETURN answer;
END $$;
