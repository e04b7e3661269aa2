// Imports a work plan into the database, idempotently. Each imported row keeps the values the file
// gave it (`source`); on re-import a field is written only when the file changed it since, so a status
// or a state of play set in chat survives re-importing the same file, and an edited file still wins
// for what it edits. Rows created in chat (and agenda items, audit entries) are never deleted, nor
// rewritten: a plan item whose code (from its place in the list) is held by one gets the next free code.
// On an existing partnership every change is audited, as "import of FILE", like a change made in chat.
import type { Prisma } from '@prisma/client';
import { basename } from 'node:path';
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
  /** What the file asked for that the import did not do, and why. */
  kept: string[];
}

export interface ImportOptions {
  /** The file imported, named in the audit trail ("import of plan.yaml"). */
  file?: string;
  /** When the import happens (the audit entries' time); now by default. */
  now?: Date;
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

/** One row as the report and the audit trail name it. */
interface Entity {
  type: string;
  /** How the report names it: "A1.3", "organisation flanders". */
  label: string;
  /** How `history` finds it: "A1.3", "flanders". */
  code: string;
}

const DATE_COLUMN = /^(when|deadline)(Kind|Start|End|Tentative|Text)$/;

/** Columns as people read them: a date as its text ("when: 2026-01"), no internal ids. */
function readable(fields: string[], values: Values): Values {
  const out: Values = {};
  for (const field of fields) {
    const date = DATE_COLUMN.exec(field);
    if (date) out[date[1]!] = values[`${date[1]}Text`];
    else if (!field.endsWith('Id')) out[field] = values[field];
  }
  return out;
}

/** What names an added or removed row in the audit trail and the digest. */
const summary = (values: Values): Values =>
  readable(Object.keys(values).filter((k) => ['title', 'name', 'label', 'whenText', 'deadlineText'].includes(k)), values);

/** Every change goes to the report the operator reads and, on an existing partnership, to the audit trail. */
class Journal {
  constructor(
    private readonly tx: Tx,
    readonly report: ImportReport,
    private readonly audit: { at: Date; actorLabel: string } | null,
  ) {}

  async added(entity: Entity, id: string, values: Values, line = entity.label): Promise<void> {
    this.report.added.push(line);
    await this.write(entity, id, 'added', undefined, summary(values));
  }

  async changed(entity: Entity, id: string, fields: string[], before: Values, after: Values): Promise<void> {
    this.report.changed.push(`${entity.label} (${fields.join(', ')})`);
    await this.write(entity, id, 'changed', readable(fields, before), readable(fields, after));
  }

  /** Roles given or taken away: counted, as the report has always counted them. */
  async rolesChanged(entity: Entity, id: string, count: number): Promise<void> {
    this.report.changed.push(`${entity.label} (${count})`);
    await this.write(entity, id, 'changed', undefined, { roles: `${count} given or taken away` });
  }

  async removed(entity: Entity, id: string, values: Values): Promise<void> {
    this.report.removed.push(entity.label);
    await this.write(entity, id, 'removed', summary(values));
  }

  private async write(entity: Entity, id: string, verb: string, before?: Values, after?: Values): Promise<void> {
    if (!this.audit) return;
    await this.tx.auditEntry.create({
      data: {
        partnershipId: this.report.partnershipId,
        at: this.audit.at,
        actorLabel: this.audit.actorLabel,
        platform: 'import',
        entityType: entity.type,
        entityId: id,
        entityCode: entity.code,
        verb,
        ...(before ? { before: before as Prisma.InputJsonValue } : {}),
        ...(after ? { after: after as Prisma.InputJsonValue } : {}),
      },
    });
  }
}

/**
 * Three-way merge of one existing row: a field is written only where the file changed it since the
 * last import (`source`) and the row does not already hold it, so changes made in chat survive.
 */
async function merge(model: Delegate, row: Values, values: Values, stored: Values, journal: Journal, entity: Entity): Promise<void> {
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
  if (what.length || !isDeepStrictEqual(base, stored)) {
    await model.update({ where: { id: row.id }, data: { ...toPrisma(update), source: stored as Prisma.InputJsonValue } });
  }
  if (what.length) await journal.changed(entity, String(row.id), what, current, values);
}

/**
 * Brings rows with a stable key (organisations by key, Actions by number...) in line with the file:
 * `desired` maps the key to the values the file gives, `scope` selects the existing rows, `link` adds
 * the foreign keys of a new row.
 */
async function sync(
  model: Delegate,
  scope: Values,
  keyField: string,
  desired: Map<string, Values>,
  link: Values,
  journal: Journal,
  entity: (key: string) => Omit<Entity, 'code'> & { code?: string },
  keyValue: (key: string) => unknown = (k) => k,
): Promise<Map<string, string>> {
  const existing = await model.findMany({ where: scope });
  const byKey = new Map(existing.map((r) => [String(r[keyField]), r]));
  const ids = new Map<string, string>();
  const named = (key: string): Entity => ({ code: key, ...entity(key) });
  for (const [key, values] of desired) {
    const row = byKey.get(key);
    if (!row) {
      const created = await model.create({
        data: { ...link, [keyField]: keyValue(key), ...toPrisma(values), source: values as Prisma.InputJsonValue },
      });
      ids.set(key, String(created.id));
      await journal.added(named(key), String(created.id), values);
      continue;
    }
    ids.set(key, String(row.id));
    await merge(model, row, values, values, journal, named(key));
  }
  for (const [key, row] of byKey) {
    if (desired.has(key) || row.source == null || row.createdInChat === true) continue;
    await model.delete({ where: { id: row.id } });
    await journal.removed(named(key), String(row.id), row.source as Values);
  }
  return ids;
}

/** Kept in `source` when a plan item could not have the code its place in the file gives it. */
const PLAN_CODE = 'planCode';

interface Planned {
  /** The code its place in the file gives it (A1.6 for the sixth activity of Action 1). */
  key: string;
  /** Its place in the file, from 1. */
  position: number;
  values: Values;
}

interface PositionalRows {
  model: Delegate;
  type: string;
  scope: Values;
  link: Values;
  /** The code of the n-th item: A1.n, A1.3.n, A1.On. */
  code: (n: number) => string;
  /** Why an unmatched imported row must stay (it holds what chat users added), or null to remove it. */
  keep?: (row: Values) => Promise<string | null>;
}

/**
 * Activities, steps and outputs, whose codes come from their place in the file. Each plan item is
 * matched to a row by, in turn: its title under its code (or under the code it was given when its own
 * was taken); its code alone, the file having edited the title. A row created in chat is matched
 * only by code and title (the file is an export that lists it) and then left as it is. A new item
 * whose code a row holds gets the next free code, remembered in `source` so the next import finds it.
 * Returns the row of each plan item, by its key.
 */
async function syncPositional(rows: PositionalRows, planned: Planned[], journal: Journal): Promise<Map<string, Values>> {
  const existing = await rows.model.findMany({ where: rows.scope });
  const marker = (r: Values) => (r.source as Values | null)?.[PLAN_CODE] as string | undefined;
  const fileTitle = (r: Values) => (r.source as Values | null)?.title ?? r.title;
  const isChat = (r: Values) => r.createdInChat === true;
  const matched = new Map<string, { row: Values; marker: string | undefined }>();
  const used = new Set<Values>();
  for (const p of planned) {
    const row = existing.find((r) => !used.has(r) && fileTitle(r) === p.values.title && (r.code === p.key || marker(r) === p.key));
    if (!row) continue;
    matched.set(p.key, { row, marker: marker(row) });
    used.add(row);
  }
  for (const p of planned) {
    if (matched.has(p.key)) continue;
    const free = existing.filter((r) => !used.has(r) && !isChat(r));
    const row = free.find((r) => marker(r) === p.key) ?? free.find((r) => r.code === p.key);
    if (!row) continue;
    matched.set(p.key, { row, marker: row.code === p.key ? undefined : p.key });
    used.add(row);
  }

  const entity = (code: string): Entity => ({ type: rows.type, label: code, code });
  const remaining: Values[] = [];
  for (const row of existing) {
    if (used.has(row) || isChat(row) || row.source == null) {
      if (!used.has(row)) remaining.push(row);
      continue;
    }
    const reason = await rows.keep?.(row);
    if (reason) {
      journal.report.kept.push(`${String(row.code)} is no longer in the file but stays: ${reason}`);
      remaining.push(row);
      continue;
    }
    await rows.model.delete({ where: { id: row.id } });
    await journal.removed(entity(String(row.code)), String(row.id), row.source as Values);
  }

  const held = new Map<string, Values>([...remaining, ...used].map((r) => [String(r.code), r]));
  let next = Math.max(planned.length, ...[...held.values()].map((r) => Number(r.seq))) + 1;
  const result = new Map<string, Values>();
  for (const p of planned) {
    const found = matched.get(p.key);
    if (found) {
      result.set(p.key, found.row);
      if (isChat(found.row)) continue;
      const stored = found.marker ? { ...p.values, [PLAN_CODE]: found.marker } : p.values;
      await merge(rows.model, found.row, p.values, stored, journal, entity(String(found.row.code)));
      continue;
    }
    const holder = held.get(p.key);
    const seq = holder ? next++ : p.position;
    const code = rows.code(seq);
    const created = await rows.model.create({
      data: { ...rows.link, seq, code, ...toPrisma(p.values), source: (holder ? { ...p.values, [PLAN_CODE]: p.key } : p.values) as Prisma.InputJsonValue },
    });
    held.set(code, created);
    result.set(p.key, created);
    const why = holder && `${code} (the file's ${p.key}, but ${p.key} is "${String(holder.title)}"${isChat(holder) ? ', added in chat' : ''})`;
    await journal.added(entity(code), String(created.id), p.values, why || code);
  }
  return result;
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

export async function importWorkPlan(db: Db, plan: WorkPlan, options: ImportOptions = {}): Promise<ImportReport> {
  return db.$transaction(async (tx) => runImport(tx, plan, options), { timeout: 120_000, maxWait: 30_000 });
}

async function runImport(tx: Tx, plan: WorkPlan, options: ImportOptions): Promise<ImportReport> {
  const p = plan.partnership;
  const existingPartnership = await tx.partnership.findUnique({ where: { slug: p.slug } });
  const partnership =
    existingPartnership ??
    (await tx.partnership.create({ data: { slug: p.slug, name: p.name, timeZone: p.timeZone, phase: opt(p.phase) } }));
  const report: ImportReport = { partnershipId: partnership.id, added: [], changed: [], removed: [], kept: [] };
  // A first import creates the partnership: nothing there is a change to a plan people already follow.
  const journal = new Journal(
    tx,
    report,
    existingPartnership ? { at: options.now ?? new Date(), actorLabel: `import of ${options.file ? basename(options.file) : 'a work plan'}` } : null,
  );
  const partnershipEntity: Entity = { type: 'partnership', label: `partnership ${p.slug}`, code: p.slug };
  if (!existingPartnership) report.added.push(partnershipEntity.label);
  else if (existingPartnership.name !== p.name || existingPartnership.timeZone !== p.timeZone || existingPartnership.phase !== opt(p.phase)) {
    await tx.partnership.update({ where: { id: partnership.id }, data: { name: p.name, timeZone: p.timeZone, phase: opt(p.phase) } });
    const wanted: Values = { name: p.name, timeZone: p.timeZone, phase: opt(p.phase) };
    const fields = Object.keys(wanted).filter((k) => wanted[k] !== existingPartnership[k as keyof typeof existingPartnership]);
    await journal.changed(partnershipEntity, partnership.id, fields, existingPartnership, wanted);
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
    journal,
    (k) => ({ type: 'organisation', label: `organisation ${k}` }),
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
    journal,
    (k) => ({ type: 'person', label: `person ${k}` }),
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
  if (roleChanges && existingPartnership) {
    await journal.rolesChanged({ ...partnershipEntity, label: 'partnership roles' }, partnershipId, roleChanges);
  }

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
    journal,
    (k) => ({ type: 'action', label: `A${k}`, code: `A${k}` }),
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
    if (changes && existingPartnership) {
      await journal.rolesChanged({ type: 'action', label: `A${a.number} action group`, code: `A${a.number}` }, actionId, changes);
    }

    const activityModel = tx.activity as unknown as Delegate;
    const activityRows = await syncPositional(
      {
        model: activityModel,
        type: 'activity',
        scope: { actionId, parentId: null },
        link: { actionId },
        code: (n) => activityCode(a.number, n),
        keep: async (row) =>
          (await tx.activity.count({ where: { parentId: String(row.id), createdInChat: true } })) ? 'it has steps added in chat' : null,
      },
      a.activities.map((act, i) => ({ key: activityCode(a.number, i + 1), position: i + 1, values: activityValues(act) })),
      journal,
    );
    for (const [i, act] of a.activities.entries()) {
      const parent = activityRows.get(activityCode(a.number, i + 1))!;
      const parentCode = String(parent.code);
      await syncPositional(
        {
          model: activityModel,
          type: 'activity',
          scope: { parentId: parent.id },
          link: { actionId, parentId: parent.id },
          code: (n) => `${parentCode}.${n}`,
        },
        act.steps.map((step, j) => ({ key: `${parentCode}.${j + 1}`, position: j + 1, values: activityValues(step) })),
        journal,
      );
    }
    await syncPositional(
      { model: tx.output as unknown as Delegate, type: 'output', scope: { actionId }, link: { actionId }, code: (n) => outputCode(a.number, n) },
      a.outputs.map((o, i) => ({
        key: outputCode(a.number, i + 1),
        position: i + 1,
        values: {
          title: o.title,
          kind: o.kind,
          ...whenColumns('when', o.when),
          activityId: o.activity ? String(activityRows.get(activityCode(a.number, o.activity))!.id) : null,
          status: o.status,
          link: opt(o.link),
          notes: opt(o.notes),
        },
      })),
      journal,
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
      journal,
      (k) => ({ type: 'target', label: `A${a.number} target ${k}`, code: `A${a.number}` }),
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
    journal,
    (k) => ({ type: 'meeting', label: k }),
  );
  return report;
}

function activityValues(item: { title: string; when: string; status: string; description?: string | undefined; notes?: string | undefined }): Values {
  return {
    title: item.title,
    description: opt(item.description),
    ...whenColumns('when', item.when),
    status: item.status,
    notes: opt(item.notes),
  };
}
