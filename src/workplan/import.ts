// Imports a work plan into the database, idempotently. Each imported row keeps the values the file
// gave it (`source`); on re-import a field is written only when the file changed it since, so a status
// or a state of play set in chat survives re-importing the same file, and an edited file still wins
// for what it edits. Rows created in chat (and agenda items, audit entries) are never deleted, nor
// rewritten: a plan item whose code (from its place in the list) is held by one gets the next free code.
// On an existing partnership every change is audited, as "import of FILE", like a change made in chat.
// The roster follows the same rule: organisations and people (a removal made in chat stays unless the
// file newly lists them), the coordinators, people's roles and each Action's co-leaders and members,
// whose last file state is kept in the `source` of the organisation, person or Action.
import type { Prisma } from '@prisma/client';
import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { dateToIsoDay, isoDayToDate, parseFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date.ts';
import { dayColumn } from './columns.ts';
import { activityCode, meetingCode, outputCode } from '../domain/ids.ts';
import type { Db } from '../persistence/database.ts';
import { removeOrganisation, removePerson } from '../domain/roster.ts';
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
function toPrisma(values: Values, now: Date): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    // The file says whether someone was taken off the roster; the row keeps when.
    if (k === REMOVED) out.removedAt = v ? now : null;
    else if (/(Start|End)$/.test(k) && (typeof v === 'string' || v === null)) out[k] = dayColumn(v as string | null);
    else if (/At$/.test(k) && typeof v === 'string') out[k] = new Date(v);
    else out[k] = v;
  }
  return out;
}

function fromPrisma(row: Values, keys: string[]): Values {
  const out: Values = {};
  for (const k of keys) {
    const v = k === REMOVED ? row.removedAt != null : row[k];
    out[k] = v instanceof Date ? (/(Start|End)$/.test(k) ? dateToIsoDay(v) : v.toISOString()) : v;
  }
  return out;
}

/** The file's `removed: true` on an organisation or a person, held by the row as `removedAt`. */
const REMOVED = 'removed';

/** What a field the format gained later meant in a `source` written before it: a file without it. */
const BEFORE_FIELD_EXISTED: Values = { [REMOVED]: false };
const recordedValue = (base: Values, field: string) => (field in base ? base[field] : BEFORE_FIELD_EXISTED[field]) ?? null;

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
    /** When the import happens: when those it takes off the roster left. */
    readonly now: Date,
  ) {}

  /** A change made in chat that the import keeps, and why. */
  kept(line: string): void {
    this.report.kept.push(line);
  }

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

const FIELD_WORDS: Record<string, string> = { email: 'e-mail', timeZone: 'time zone', organisationId: 'organisation', shortName: 'short name' };
const SINCE = 'the file has not changed it since the last import';

/**
 * Three-way merge of one existing row: a field is written only where the file changed it since the
 * last import (`source`) and the row does not already hold it, so changes made in chat survive.
 * `reportKept` says in the report which chat changes it kept. Returns the fields it wrote.
 */
async function merge(model: Delegate, row: Values, values: Values, stored: Values, journal: Journal, entity: Entity, reportKept = false): Promise<string[]> {
  const base = (row.source ?? null) as Values | null;
  const current = fromPrisma(row, Object.keys(values));
  const update: Values = {};
  const what: string[] = [];
  const kept: string[] = [];
  for (const [field, value] of Object.entries(values)) {
    const fileChanged = !base || !isDeepStrictEqual(recordedValue(base, field), value ?? null);
    const differs = !isDeepStrictEqual(current[field] ?? null, value ?? null);
    if (fileChanged && differs) {
      update[field] = value;
      what.push(field);
    } else if (differs) kept.push(field);
  }
  if (what.length || !isDeepStrictEqual(base, stored)) {
    await model.update({ where: { id: row.id }, data: { ...toPrisma(update, journal.now), source: stored as Prisma.InputJsonValue } });
  }
  if (what.length) await journal.changed(entity, String(row.id), what, current, values);
  if (reportKept && kept.includes(REMOVED)) journal.kept(`${entity.label} stays removed: it was removed in chat, and ${SINCE}`);
  else if (reportKept && kept.length) journal.kept(`${entity.label} keeps the ${kept.map((f) => FIELD_WORDS[f] ?? f).join(', ')} set in chat: ${SINCE}`);
  return what;
}

interface SyncRules {
  /** What else `source` keeps of what the file said (the roles it gave), by key. */
  extra?: (key: string) => Values;
  /**
   * For organisations and people, whose rows outlive their removal: takes the row off the roster
   * (the file marks it removed, or no longer lists it). The report then also says what chat changes it kept.
   */
  remove?: (id: string) => Promise<void>;
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
  rules: SyncRules = {},
): Promise<Map<string, string>> {
  const { extra, remove } = rules;
  const existing = await model.findMany({ where: scope });
  const byKey = new Map(existing.map((r) => [String(r[keyField]), r]));
  const ids = new Map<string, string>();
  const named = (key: string): Entity => ({ code: key, ...entity(key) });
  for (const [key, values] of desired) {
    const row = byKey.get(key);
    const stored = { ...values, ...extra?.(key) };
    if (!row) {
      const created = await model.create({
        data: { ...link, [keyField]: keyValue(key), ...toPrisma(values, journal.now), source: stored as Prisma.InputJsonValue },
      });
      ids.set(key, String(created.id));
      await journal.added(named(key), String(created.id), values);
      continue;
    }
    ids.set(key, String(row.id));
    const written = await merge(model, row, values, stored, journal, named(key), Boolean(remove));
    if (remove && written.includes(REMOVED) && values[REMOVED]) await remove(String(row.id));
  }
  for (const [key, row] of byKey) {
    if (desired.has(key) || row.source == null || row.createdInChat === true) continue;
    if (!remove) {
      await model.delete({ where: { id: row.id } });
      await journal.removed(named(key), String(row.id), row.source as Values);
      continue;
    }
    // Left out of the file: off the roster, remembered as removed so the file can bring it back.
    const source = row.source as Values;
    if (source[REMOVED] === true) continue;
    await model.update({ where: { id: row.id }, data: { source: { ...source, [REMOVED]: true } as Prisma.InputJsonValue } });
    if (row.removedAt != null) continue;
    await remove(String(row.id));
    await journal.removed(named(key), String(row.id), source);
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
      data: { ...rows.link, seq, code, ...toPrisma(p.values, journal.now), source: (holder ? { ...p.values, [PLAN_CODE]: p.key } : p.values) as Prisma.InputJsonValue },
    });
    held.set(code, created);
    result.set(p.key, created);
    const why = holder && `${code} (the file's ${p.key}, but ${p.key} is "${String(holder.title)}"${isChat(holder) ? ', added in chat' : ''})`;
    await journal.added(entity(code), String(created.id), p.values, why || code);
  }
  return result;
}

/** What one role slot holds: an organisation's place in an Action group, a person's secretariat role... */
type Slot = string | null;

/**
 * What the last import recorded in a row's `source` under `field`: null when there was no such row
 * or it was made in chat (the file gave it nothing), undefined when that import did not record roles.
 */
function recorded<T>(sources: Map<string, Values | null>, key: string, field: string): T | null | undefined {
  const source = sources.get(key);
  if (!source) return null;
  return field in source ? (source[field] as T) : undefined;
}

/**
 * Three-way merge of one role slot: the file's value where the file changed it since the last import,
 * else what the database holds. A slot the last import did not record (`base` undefined, a database
 * imported before roles were recorded) counts as unchanged in the file, so chat changes survive.
 */
async function settle(
  journal: Journal,
  slot: { base: Slot | undefined; file: Slot; current: Slot },
  set: (to: Slot) => Promise<void>,
  keptLine: (current: Slot) => string,
): Promise<number> {
  const fileChanged = slot.base !== undefined && slot.base !== slot.file;
  const wanted = fileChanged ? slot.file : slot.current;
  if (!fileChanged && slot.current !== slot.file) journal.kept(keptLine(slot.current));
  if (wanted === slot.current) return 0;
  await set(wanted);
  return 1;
}

const PERSON_ROLES = ['coordinator', 'secretariat', 'member'] as const;
const ACTION_ROLE_WORDS: Record<string, string> = { co_leader: 'a co-leader', member: 'a member' };

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
  const now = options.now ?? new Date();
  const journal = new Journal(
    tx,
    report,
    existingPartnership ? { at: now, actorLabel: `import of ${options.file ? basename(options.file) : 'a work plan'}` } : null,
    now,
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

  // What the last import recorded of the roles, read before this one records the file's.
  const sourcesOf = (rows: { key: string; source: unknown }[]) => new Map(rows.map((r) => [r.key, (r.source ?? null) as Values | null]));
  const orgSources = sourcesOf(await tx.organisation.findMany({ where: { partnershipId }, select: { key: true, source: true } }));
  const personSources = sourcesOf(await tx.person.findMany({ where: { partnershipId }, select: { key: true, source: true } }));
  const actionSources = sourcesOf(
    (await tx.action.findMany({ where: { partnershipId }, select: { number: true, source: true } })).map((a) => ({ key: String(a.number), source: a.source })),
  );

  const orgIds = await sync(
    tx.organisation as unknown as Delegate,
    { partnershipId },
    'key',
    new Map(
      plan.organisations.map((o) => [
        o.key,
        { name: o.name, shortName: opt(o.shortName), kind: o.kind, country: opt(o.country), aliases: o.aliases, [REMOVED]: o.removed },
      ]),
    ),
    { partnershipId },
    journal,
    (k) => ({ type: 'organisation', label: `organisation ${k}` }),
    undefined,
    { extra: (k) => ({ coordinator: plan.coordinators.includes(k) }), remove: (id) => removeOrganisation(tx, id, journal.now) },
  );
  const org = (key: string) => orgIds.get(key)!;

  const filePeople = new Map(plan.people.map((x) => [x.key, x]));
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
          [REMOVED]: x.removed,
        },
      ]),
    ),
    { partnershipId },
    journal,
    (k) => ({ type: 'person', label: `person ${k}` }),
    undefined,
    { extra: (k) => ({ roles: [...filePeople.get(k)!.roles].sort() }), remove: (id) => removePerson(tx, id, journal.now) },
  );

  // Partnership roles: coordinators are organisations; secretariat and other roles are people. Only
  // those on the roster hold roles.
  const organisations = await tx.organisation.findMany({ where: { partnershipId }, orderBy: { key: 'asc' } });
  const current = organisations.filter((o) => !o.removedAt);
  const people = await tx.person.findMany({ where: { partnershipId, removedAt: null }, orderBy: { key: 'asc' } });
  const roleRows = await tx.partnershipRole.findMany({ where: { partnershipId } });
  let roleChanges = 0;
  for (const o of current) {
    const base = recorded<boolean>(orgSources, o.key, 'coordinator');
    roleChanges += await settle(
      journal,
      {
        base: base === undefined ? undefined : base ? 'coordinator' : null,
        file: plan.coordinators.includes(o.key) ? 'coordinator' : null,
        current: roleRows.some((r) => r.role === 'coordinator' && r.organisationId === o.id) ? 'coordinator' : null,
      },
      async (to) => {
        if (to) await tx.partnershipRole.create({ data: { partnershipId, role: 'coordinator', organisationId: o.id } });
        else await tx.partnershipRole.deleteMany({ where: { partnershipId, role: 'coordinator', organisationId: o.id } });
      },
      (now) => `organisation ${o.key} ${now ? 'stays' : 'is no longer'} a coordinator, as changed in chat: ${SINCE}`,
    );
  }
  for (const person of people) {
    const base = recorded<string[]>(personSources, person.key, 'roles');
    const inFile = filePeople.get(person.key)?.roles ?? [];
    for (const role of PERSON_ROLES) {
      roleChanges += await settle(
        journal,
        {
          base: base === undefined ? undefined : base?.includes(role) ? role : null,
          file: inFile.includes(role) ? role : null,
          current: roleRows.some((r) => r.role === role && r.personId === person.id) ? role : null,
        },
        async (to) => {
          if (to) await tx.partnershipRole.create({ data: { partnershipId, role, personId: person.id } });
          else await tx.partnershipRole.deleteMany({ where: { partnershipId, role, personId: person.id } });
        },
        (now) => `person ${person.key} ${now ? 'keeps' : 'stays without'} the ${role} role, as changed in chat: ${SINCE}`,
      );
    }
  }
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
    { extra: (k) => actionGroupInFile(plan.actions.find((a) => String(a.number) === k)!) },
  );
  for (const a of plan.actions) {
    const actionId = actionIds.get(String(a.number))!;
    // Each organisation's place in the Action group: co-leader, member or none.
    const groupRows = await tx.actionRole.findMany({ where: { actionId, personId: null } });
    const placeOf = (group: { coLeaders: string[]; members: string[] }, k: string): Slot =>
      group.coLeaders.includes(k) ? 'co_leader' : group.members.includes(k) ? 'member' : null;
    const inFile = actionGroupInFile(a);
    const lastCoLeaders = recorded<string[]>(actionSources, String(a.number), 'coLeaders');
    const lastFile = { coLeaders: lastCoLeaders ?? [], members: recorded<string[]>(actionSources, String(a.number), 'members') ?? [] };
    let changes = 0;
    // Roles are shown in creation order (CO_LEADER_ROLES): create them in the order the file names them.
    const fileOrder = [...a.coLeaders, ...a.members];
    const rank = (key: string) => (fileOrder.includes(key) ? fileOrder.indexOf(key) : fileOrder.length);
    for (const o of [...organisations].sort((x, y) => rank(x.key) - rank(y.key))) {
      const rows = groupRows.filter((r) => r.organisationId === o.id);
      const place: Slot = rows.some((r) => r.role === 'co_leader') ? 'co_leader' : rows.length ? 'member' : null;
      if (o.removedAt) {
        if (placeOf(inFile, o.key)) journal.kept(`A${a.number}: ${o.key} is not put back in the action group: the organisation was removed in chat`);
        continue;
      }
      changes += await settle(
        journal,
        { base: lastCoLeaders === undefined ? undefined : placeOf(lastFile, o.key), file: placeOf(inFile, o.key), current: place },
        async (to) => {
          await tx.actionRole.deleteMany({ where: { actionId, personId: null, organisationId: o.id } });
          if (to) await tx.actionRole.create({ data: { actionId, role: to as 'member', organisationId: o.id } });
        },
        (now) => `A${a.number}: ${o.key} stays ${now ? ACTION_ROLE_WORDS[now] : 'out of the action group'}, as changed in chat: ${SINCE}`,
      );
    }
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
            durationMinutes: opt(m.durationMinutes),
            cancelledAt: m.cancelledAt ? new Date(m.cancelledAt).toISOString() : null,
            cancelReason: opt(m.cancelReason),
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
  await addLeave(tx, plan, partnershipId, personIds, journal);
  return report;
}

/**
 * Leave the file lists and the database lacks (an export read into a new database). Leave is kept
 * from chat (`away`): an import never shortens or removes it.
 */
async function addLeave(tx: Tx, plan: WorkPlan, partnershipId: string, personIds: Map<string, string>, journal: Journal): Promise<void> {
  for (const l of plan.leave) {
    const personId = personIds.get(l.person)!;
    const [firstDay, lastDay] = [isoDayToDate(l.from), isoDayToDate(l.to)];
    if (await tx.absence.count({ where: { personId, firstDay, lastDay } })) continue;
    await tx.absence.create({
      data: { partnershipId, personId, firstDay, lastDay, delegateId: l.delegate ? personIds.get(l.delegate)! : null },
    });
    const span = `${l.from}..${l.to}`;
    await journal.added({ type: 'person', label: `leave of ${l.person} ${span}`, code: l.person }, personId, { label: `away ${span}` });
  }
}

/** An Action's co-leaders and members as the file gives them: what its `source` keeps to merge them next time. */
function actionGroupInFile(a: WorkPlan['actions'][number]): { coLeaders: string[]; members: string[] } {
  return { coLeaders: [...a.coLeaders].sort(), members: a.members.filter((k) => !a.coLeaders.includes(k)).sort() };
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
