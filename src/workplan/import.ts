// Imports a work plan into the database, idempotently. Each imported row keeps the values the file
// gave it (`source`); on re-import a field is written only when the file changed it since, so a status
// or a state of play set in chat survives re-importing the same file, and an edited file still wins
// for what it edits. Rows created in chat (and agenda items, audit entries) are never deleted.
import type { Prisma } from '@prisma/client';
import { isDeepStrictEqual } from 'node:util';
import { dateToIsoDay, parseFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date.ts';
import { dayColumn } from './columns.ts';
import { activityCode, meetingCode, outputCode } from '../domain/ids.ts';
import type { Db } from '../persistence/database.ts';
import type { WorkPlan } from './format.ts';

type Tx = Prisma.TransactionClient;
type Values = Record<string, unknown>;

export interface ImportReport {
  partnershipId: string;
  added: string[];
  changed: string[];
  removed: string[];
}


/** Fuzzy date → the four columns that hold it, under a prefix ("when", "deadline"). */
export function whenColumns(prefix: string, text: string): Values {
  const d: FuzzyDate = parseFuzzyDate(text);
  return {
    [`${prefix}Kind`]: d.kind,
    [`${prefix}Start`]: d.start,
    [`${prefix}End`]: d.end,
    [`${prefix}Tentative`]: d.tentative,
    [`${prefix}Text`]: text,
  };
}

/** JSON-friendly values (what `source` stores) → what Prisma expects (dates as Date). */
function toPrisma(values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = /(Start|End)$/.test(k) && (typeof v === 'string' || v === null) ? dayColumn(v as string | null) : v;
  }
  return out;
}

function fromPrisma(row: Values, keys: string[]): Values {
  const out: Values = {};
  for (const k of keys) {
    const v = row[k];
    out[k] = v instanceof Date ? (/(Start|End)$/.test(k) ? dateToIsoDay(v) : v.toISOString()) : v;
  }
  return out;
}

interface Delegate {
  findMany(args: unknown): Promise<Values[]>;
  create(args: unknown): Promise<Values>;
  update(args: unknown): Promise<Values>;
  delete(args: unknown): Promise<Values>;
}

/**
 * Brings one kind of row in line with the file: `desired` maps a stable key (code) to the values the
 * file gives, `scope` selects the existing rows, `link` adds the foreign keys of a new row.
 */
async function sync(
  model: Delegate,
  scope: Values,
  keyField: string,
  desired: Map<string, Values>,
  link: Values,
  report: ImportReport,
  label: (key: string) => string,
  keyValue: (key: string) => unknown = (k) => k,
): Promise<Map<string, string>> {
  const existing = await model.findMany({ where: scope });
  const byKey = new Map(existing.map((r) => [String(r[keyField]), r]));
  const ids = new Map<string, string>();
  for (const [key, values] of desired) {
    const row = byKey.get(key);
    if (!row) {
      const created = await model.create({
        data: { ...link, [keyField]: keyValue(key), ...toPrisma(values), source: values as Prisma.InputJsonValue },
      });
      ids.set(key, String(created.id));
      report.added.push(label(key));
      continue;
    }
    ids.set(key, String(row.id));
    const base = (row.source ?? null) as Values | null;
    const current = fromPrisma(row, Object.keys(values));
    const update: Values = {};
    const what: string[] = [];
    for (const [field, value] of Object.entries(values)) {
      const fileChanged = !base || !isDeepStrictEqual(base[field] ?? null, value ?? null);
      if (fileChanged && !isDeepStrictEqual(current[field] ?? null, value ?? null)) {
        update[field] = value;
        what.push(field);
      }
    }
    const sourceChanged = !isDeepStrictEqual(base, values);
    if (what.length || sourceChanged) {
      await model.update({ where: { id: row.id }, data: { ...toPrisma(update), source: values as Prisma.InputJsonValue } });
    }
    if (what.length) report.changed.push(`${label(key)} (${what.join(', ')})`);
  }
  for (const [key, row] of byKey) {
    if (desired.has(key) || row.source == null || row.createdInChat === true) continue;
    await model.delete({ where: { id: row.id } });
    report.removed.push(label(key));
  }
  return ids;
}

/** Replaces a set of role rows with what the file says, without touching roles given in chat. */
async function syncRoles<T extends { id: string }>(
  existing: T[],
  wanted: Values[],
  matches: (row: T, want: Values) => boolean,
  create: (want: Values) => Promise<unknown>,
  remove: (row: T) => Promise<unknown>,
): Promise<number> {
  let changes = 0;
  for (const want of wanted) {
    if (!existing.some((r) => matches(r, want))) {
      await create(want);
      changes++;
    }
  }
  for (const row of existing) {
    if (!wanted.some((w) => matches(row, w))) {
      await remove(row);
      changes++;
    }
  }
  return changes;
}

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function importWorkPlan(db: Db, plan: WorkPlan): Promise<ImportReport> {
  return db.$transaction(async (tx) => runImport(tx, plan), { timeout: 120_000, maxWait: 30_000 });
}

async function runImport(tx: Tx, plan: WorkPlan): Promise<ImportReport> {
  const p = plan.partnership;
  const existingPartnership = await tx.partnership.findUnique({ where: { slug: p.slug } });
  const partnership =
    existingPartnership ??
    (await tx.partnership.create({ data: { slug: p.slug, name: p.name, timeZone: p.timeZone, phase: opt(p.phase) } }));
  const report: ImportReport = { partnershipId: partnership.id, added: [], changed: [], removed: [] };
  if (!existingPartnership) report.added.push(`partnership ${p.slug}`);
  else if (existingPartnership.name !== p.name || existingPartnership.timeZone !== p.timeZone || existingPartnership.phase !== opt(p.phase)) {
    await tx.partnership.update({ where: { id: partnership.id }, data: { name: p.name, timeZone: p.timeZone, phase: opt(p.phase) } });
    report.changed.push(`partnership ${p.slug}`);
  }
  const partnershipId = partnership.id;

  const orgIds = await sync(
    tx.organisation as unknown as Delegate,
    { partnershipId },
    'key',
    new Map(
      plan.organisations.map((o) => [
        o.key,
        { name: o.name, shortName: opt(o.shortName), kind: o.kind, country: opt(o.country), aliases: o.aliases },
      ]),
    ),
    { partnershipId },
    report,
    (k) => `organisation ${k}`,
  );
  const org = (key: string) => orgIds.get(key)!;

  const personIds = await sync(
    tx.person as unknown as Delegate,
    { partnershipId },
    'key',
    new Map(
      plan.people.map((x) => [
        x.key,
        {
          name: x.name,
          email: opt(x.email),
          organisationId: x.organisation ? org(x.organisation) : null,
          timeZone: opt(x.timeZone),
          demo: x.demo,
        },
      ]),
    ),
    { partnershipId },
    report,
    (k) => `person ${k}`,
  );

  // Partnership roles: coordinators are organisations; secretariat and other roles are people.
  const wantedRoles: Values[] = [
    ...plan.coordinators.map((k) => ({ role: 'coordinator', organisationId: org(k), personId: null })),
    ...plan.people.flatMap((x) => x.roles.map((role) => ({ role, organisationId: null, personId: personIds.get(x.key)! }))),
  ];
  const roleChanges = await syncRoles(
    await tx.partnershipRole.findMany({ where: { partnershipId } }),
    wantedRoles,
    (r, w) => r.role === w.role && r.organisationId === w.organisationId && r.personId === w.personId,
    (w) => tx.partnershipRole.create({ data: { partnershipId, ...(w as { role: 'coordinator' }) } }),
    (r) => tx.partnershipRole.delete({ where: { id: r.id } }),
  );
  if (roleChanges && existingPartnership) report.changed.push(`partnership roles (${roleChanges})`);

  const actionIds = await sync(
    tx.action as unknown as Delegate,
    { partnershipId },
    'number',
    new Map(
      plan.actions.map((a) => [
        String(a.number),
        {
          shortTitle: a.shortTitle,
          title: a.title,
          objective: a.objective,
          implementation: a.implementation,
          governanceLevels: a.governanceLevels,
          ...whenColumns('deadline', a.deadline),
          stakeholders: opt(a.stakeholders),
          risks: opt(a.risks),
          statePlay: opt(a.statePlay),
          notes: opt(a.notes),
        },
      ]),
    ),
    { partnershipId },
    report,
    (k) => `A${k}`,
    Number,
  );
  for (const a of plan.actions) {
    const actionId = actionIds.get(String(a.number))!;
    const roleRows = await tx.actionRole.findMany({ where: { actionId, personId: null } });
    const changes = await syncRoles(
      roleRows,
      [
        ...a.coLeaders.map((k) => ({ role: 'co_leader', organisationId: org(k) })),
        ...a.members.filter((k) => !a.coLeaders.includes(k)).map((k) => ({ role: 'member', organisationId: org(k) })),
      ],
      (r, w) => r.role === w.role && r.organisationId === w.organisationId,
      (w) => tx.actionRole.create({ data: { actionId, ...(w as { role: 'member'; organisationId: string }) } }),
      (r) => tx.actionRole.delete({ where: { id: r.id } }),
    );
    if (changes && existingPartnership) report.changed.push(`A${a.number} action group (${changes})`);

    const activities = new Map<string, Values>();
    const parents: [string, string][] = [];
    a.activities.forEach((act, i) => {
      const code = activityCode(a.number, i + 1);
      activities.set(code, activityValues(act, i + 1));
      act.steps.forEach((step, j) => {
        const stepCode = activityCode(a.number, j + 1, i + 1);
        activities.set(stepCode, activityValues(step, j + 1));
        parents.push([stepCode, code]);
      });
    });
    const activityIds = await sync(
      tx.activity as unknown as Delegate,
      { actionId },
      'code',
      activities,
      { actionId },
      report,
      (k) => k,
    );
    for (const [stepCode, parentCode] of parents) {
      await tx.activity.update({ where: { id: activityIds.get(stepCode)! }, data: { parentId: activityIds.get(parentCode)! } });
    }
    await sync(
      tx.output as unknown as Delegate,
      { actionId },
      'code',
      new Map(
        a.outputs.map((o, i) => [
          outputCode(a.number, i + 1),
          {
            seq: i + 1,
            title: o.title,
            kind: o.kind,
            ...whenColumns('when', o.when),
            activityId: o.activity ? activityIds.get(activityCode(a.number, o.activity))! : null,
            status: o.status,
            link: opt(o.link),
            notes: opt(o.notes),
          },
        ]),
      ),
      { actionId },
      report,
      (k) => k,
    );
    await sync(
      tx.target as unknown as Delegate,
      { actionId },
      'key',
      new Map(
        a.targets.map((t) => [
          t.key,
          { label: t.label, targetValue: t.target, currentValue: t.current, unit: opt(t.unit) },
        ]),
      ),
      { actionId },
      report,
      (k) => `A${a.number} target ${k}`,
    );
  }

  const seqs: Record<string, number> = {};
  await sync(
    tx.meeting as unknown as Delegate,
    { partnershipId },
    'code',
    new Map(
      plan.meetings.map((m) => {
        const family = m.kind === 'plenary' ? 'plenary' : 'other';
        const seq = (seqs[family] = (seqs[family] ?? 0) + 1);
        return [
          meetingCode(m.kind, seq),
          {
            kind: m.kind,
            seq,
            title: m.title,
            format: opt(m.format),
            actionId: m.action ? actionIds.get(String(m.action))! : null,
            ...whenColumns('when', m.when),
            startsAt: m.startsAt ? new Date(m.startsAt).toISOString() : null,
            location: opt(m.location),
            link: opt(m.link),
            notes: opt(m.notes),
          },
        ];
      }),
    ),
    { partnershipId },
    report,
    (k) => k,
  );
  return report;
}

function activityValues(
  item: { title: string; when: string; status: string; description?: string | undefined; notes?: string | undefined },
  seq: number,
): Values {
  return {
    seq,
    title: item.title,
    description: opt(item.description),
    ...whenColumns('when', item.when),
    status: item.status,
    notes: opt(item.notes),
  };
}
