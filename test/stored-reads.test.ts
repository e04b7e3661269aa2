// The reads kept in the database as PL/pgSQL functions (migration 20261129050000_stored_reads) give
// exactly what the Prisma queries they replaced gave. Each Prisma query below is the specification;
// the plan is varied first (closed items and steps, tentative and undated ones, leave, a removed
// delegate, a cancelled and a frozen plenary, a failed notification, a second partnership) so that
// every condition of the functions decides something. Each read runs outside a transaction (through
// the driver) and inside one (through Prisma), where its parameters travel differently.
import { spawnSync } from 'node:child_process';
import type { Partnership, Prisma } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAsker } from '../src/core/asker.ts';
import type { CommandContext } from '../src/core/context.ts';
import { absencesBetween, type Absence } from '../src/domain/absences.ts';
import { dueItems, dueRows, type DueQuery, type DueRow } from '../src/domain/due.ts';
import { addDays, dateToIsoDay, isoDayToDate } from '../src/domain/fuzzy-date.ts';
import { myWork, personCard } from '../src/domain/my-work.ts';
import { partnershipSettings } from '../src/domain/settings.ts';
import { actionList, CLOSED_ITEM, CLOSED_OUTPUT, CO_LEADER_ROLES, nextPlenary } from '../src/domain/plan.ts';
import type { Db } from '../src/persistence/database.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
let partnership: Partnership;
const db = () => f.db.prisma;

/** Days across the plan's life: before it starts, in its first year, at its busiest, after its end. */
const DAYS = ['2024-06-01', '2025-03-10', '2025-11-20', '2026-02-28', '2026-12-31', '2028-01-01'];

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  partnership = await db().partnership.findUniqueOrThrow({ where: { id: f.partnershipId } });
  await varyThePlan();
});
afterAll(async () => {
  await f?.db.drop();
});

async function varyThePlan(): Promise<void> {
  const p = db();
  const steps = await p.activity.findMany({ where: { action: { partnershipId: f.partnershipId }, parentId: { not: null } }, orderBy: { code: 'asc' } });
  const tops = await p.activity.findMany({ where: { action: { partnershipId: f.partnershipId }, parentId: null }, orderBy: { code: 'asc' } });
  const outputs = await p.output.findMany({ where: { action: { partnershipId: f.partnershipId } }, orderBy: { code: 'asc' } });
  await p.activity.update({ where: { id: steps[0]!.id }, data: { status: 'done' } });
  await p.activity.update({ where: { id: steps[1]!.id }, data: { status: 'cancelled' } });
  await p.activity.update({ where: { id: steps[2]!.id }, data: { whenTentative: true, whenKind: 'year', whenStart: isoDayToDate('2027-01-01'), whenEnd: isoDayToDate('2027-12-31') } });
  await p.activity.update({ where: { id: steps[3]!.id }, data: { whenKind: 'unknown', whenStart: null, whenEnd: null } });
  await p.activity.update({ where: { id: tops[0]!.id }, data: { status: 'done' } });
  await p.activity.update({ where: { id: tops[1]!.id }, data: { status: 'cancelled' } });
  await p.activity.update({ where: { id: tops[2]!.id }, data: { whenKind: 'unknown', whenStart: null, whenEnd: null } });
  await p.activity.update({ where: { id: tops[3]!.id }, data: { status: 'in_progress' } });
  await p.output.update({ where: { id: outputs[0]!.id }, data: { status: 'validated' } });
  await p.output.update({ where: { id: outputs[1]!.id }, data: { status: 'disseminated' } });
  await p.output.update({ where: { id: outputs[2]!.id }, data: { status: 'cancelled' } });
  await p.output.update({ where: { id: outputs[3]!.id }, data: { whenKind: 'unknown', whenStart: null, whenEnd: null } });

  const people = await p.person.findMany({ where: { partnershipId: f.partnershipId }, orderBy: { key: 'asc' } });
  const [a, b, c, d] = people;
  await p.person.update({ where: { id: d!.id }, data: { removedAt: new Date('2025-10-01T00:00:00Z') } });
  const leave = (person: string, first: string, last: string, delegateId?: string) =>
    ({ partnershipId: f.partnershipId, personId: person, firstDay: isoDayToDate(first), lastDay: isoDayToDate(last), ...(delegateId ? { delegateId } : {}) }) satisfies Prisma.AbsenceUncheckedCreateInput;
  await p.absence.createMany({
    data: [
      leave(a!.id, '2025-11-18', '2025-11-25', b!.id),
      leave(a!.id, '2025-12-20', '2026-01-06', d!.id),
      leave(b!.id, '2025-11-20', '2025-11-20'),
      leave(c!.id, '2026-02-01', '2026-03-31', a!.id),
      leave(d!.id, '2025-11-01', '2026-12-31'),
    ],
  });
  // A co-leader that is a person, not an organisation.
  const action = await p.action.findFirstOrThrow({ where: { partnershipId: f.partnershipId, number: 2 } });
  await p.actionRole.create({ data: { actionId: action.id, role: 'co_leader', personId: c!.id } });

  const plenaries = await p.meeting.findMany({ where: { partnershipId: f.partnershipId, kind: 'plenary' }, orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }] });
  await p.meeting.update({ where: { id: plenaries[1]!.id }, data: { cancelledAt: new Date('2025-11-01T00:00:00Z'), cancelReason: 'moved' } });
  await p.meeting.update({ where: { id: plenaries[2]!.id }, data: { agendaFrozen: true } });
  await p.agendaItem.createMany({ data: [0, 1, 2].map((position) => ({ meetingId: plenaries[0]!.id, position, title: `Item ${position}` })) });
  // One notification failed for good, beside others in every other state.
  await p.outboxMessage.createMany({
    data: (['failed', 'pending', 'sent', 'skipped'] as const).map((status) => ({
      partnershipId: f.partnershipId, key: `message-${status}`, kind: 'nudge', dueAt: new Date('2025-11-19T08:00:00Z'), status, target: { channel: 'C1' }, payload: {},
    })),
  });

  // Another partnership with the same kinds of rows: none may show in the first one's reads.
  const other = await p.partnership.create({ data: { slug: 'other', name: 'Other' } });
  const otherAction = await p.action.create({ data: { partnershipId: other.id, number: 1, shortTitle: 'Other', title: 'Other', objective: '', deadlineKind: 'year', deadlineStart: isoDayToDate('2026-01-01'), deadlineEnd: isoDayToDate('2026-12-31'), deadlineText: '2026' } });
  await p.activity.create({ data: { actionId: otherAction.id, seq: 1, code: 'A1.1', title: 'Other work', whenKind: 'month', whenStart: isoDayToDate('2025-11-01'), whenEnd: isoDayToDate('2025-11-30'), whenText: 'November 2025' } });
  const stranger = await p.person.create({ data: { partnershipId: other.id, key: 'stranger', name: 'Stranger' } });
  await p.absence.create({ data: leave(stranger.id, '2025-11-01', '2026-12-31') });
  await p.absence.update({ where: { id: (await p.absence.findFirstOrThrow({ where: { personId: stranger.id } })).id }, data: { partnershipId: other.id } });
  await p.meeting.create({ data: { partnershipId: other.id, kind: 'plenary', seq: 1, code: 'P1', title: 'Other plenary', whenKind: 'day', whenStart: isoDayToDate('2025-11-25'), whenEnd: isoDayToDate('2025-11-25'), whenText: '2025-11-25' } });
}

/** A context on `day`, reading through `client` (the root client, or a transaction's). */
function contextOn(day: string, client: Db): CommandContext {
  return { ...f.bot.systemContext(partnership), db: client, today: () => day };
}

/** Runs `check` once on the root client and once inside a transaction. */
async function bothWays(check: (client: Db) => Promise<void>): Promise<void> {
  await check(db());
  await db().$transaction(async (tx) => check(tx as unknown as Db), { timeout: 60_000 });
}

const byCode = (x: { code: string }, y: { code: string }) => x.code.localeCompare(y.code);
const when = { whenKind: true, whenStart: true, whenEnd: true, whenTentative: true } as const;

/** What dueItems read with Prisma before it had a stored read. */
async function prismaDueRows(ctx: CommandContext, q: DueQuery): Promise<{ activities: DueRow[]; outputs: DueRow[] }> {
  const today = ctx.today();
  const horizon = addDays(today, q.days);
  const action = { partnershipId: ctx.partnership.id, ...(q.actionNumbers ? { number: { in: q.actionNumbers } } : {}) };
  const soon = { OR: [{ whenEnd: { gte: isoDayToDate(today), lte: isoDayToDate(horizon) } }, { whenStart: { gt: isoDayToDate(today), lte: isoDayToDate(horizon) } }] };
  const window = q.soonOnly ? soon : { whenEnd: { not: null }, whenStart: { lte: isoDayToDate(horizon) } };
  const openStepEnding = { steps: { some: { status: { notIn: CLOSED_ITEM }, whenEnd: { gte: isoDayToDate(today), lte: isoDayToDate(horizon) } } } };
  const select = { code: true, title: true, status: true, ...when, action: { select: { number: true } } } as const;
  const activities = await ctx.db.activity.findMany({
    where: { action, status: { notIn: CLOSED_ITEM }, ...(q.soonOnly ? { OR: [...soon.OR, openStepEnding] } : window) },
    select: { ...select, parentId: true, steps: { where: { status: { notIn: CLOSED_ITEM }, whenEnd: { not: null } }, select: when } },
  });
  const outputs = await ctx.db.output.findMany({ where: { action, status: { notIn: CLOSED_OUTPUT }, ...window }, select });
  return {
    activities: activities.map(({ parentId, steps, ...row }) => (parentId ? row : { ...row, openSteps: steps })),
    outputs,
  };
}

/** Steps come in no particular order from either read: compare them as sets. */
const sorted = (rows: { activities: DueRow[]; outputs: DueRow[] }) => ({
  activities: rows.activities.map((r) => (r.openSteps ? { ...r, openSteps: [...r.openSteps].sort((x, y) => dateToIsoDay(x.whenEnd!).localeCompare(dateToIsoDay(y.whenEnd!)) || Number(x.whenTentative) - Number(y.whenTentative)) } : r)).sort(byCode),
  outputs: [...rows.outputs].sort(byCode),
});

describe('stored reads give what the Prisma queries they replaced gave', () => {
  it('read a stored timestamp as UTC, as Prisma does, whatever the machine\'s time zone', () => {
    // JSON holds a `timestamp(3)` without its zone; a machine set to Auckland must not shift it.
    const script = `import { revive } from './src/persistence/stored-reads.ts';
      const row = revive('Person', { createdAt: '2025-11-20T10:00:00.123', removedAt: null });
      const meeting = revive('Meeting', { whenStart: '2025-11-20', startsAt: '2025-11-20T23:30:00' });
      console.log(JSON.stringify([row.createdAt, row.removedAt, meeting.whenStart, meeting.startsAt]));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Auckland' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['2025-11-20T10:00:00.123Z', null, '2025-11-20T00:00:00.000Z', '2025-11-20T23:30:00.000Z']);
  });

  it('who asks, in and outside a transaction', async () => {
    const people = await db().person.findMany({ where: { partnershipId: f.partnershipId, removedAt: null }, orderBy: { key: 'asc' }, take: 5 });
    await bothWays(async (client) => {
      for (const person of people) {
        const asker = await findAsker(client, { platform: 'email', workspaceId: 'links', trustedPartnershipId: f.partnershipId, trustedPersonId: person.id });
        expect(asker.partnership).toEqual(partnership);
        expect(asker.person).toEqual(person);
      }
    });
  });

  it('what can be due, for every day, Action filter and window', async () => {
    let compared = 0;
    let withSteps = 0;
    await bothWays(async (client) => {
      for (const day of DAYS) {
        for (const actionNumbers of [undefined, [1], [2, 4], []]) {
          for (const soonOnly of [false, true]) {
            for (const days of [0, 30, 400]) {
              const q: DueQuery = { days, soonOnly, ...(actionNumbers ? { actionNumbers } : {}) };
              const ctx = contextOn(day, client);
              const stored = sorted(await dueRows(ctx, q));
              expect(stored, `${day} ${JSON.stringify(q)}`).toEqual(sorted(await prismaDueRows(ctx, q)));
              compared += stored.activities.length + stored.outputs.length;
              withSteps += stored.activities.filter((a) => a.openSteps?.length).length;
            }
          }
        }
      }
    });
    // Windows that begin or end exactly on a day an item (or a closed step) starts or ends.
    const edges = [
      ...(await db().activity.findMany({ where: { action: { partnershipId: f.partnershipId } }, select: { whenStart: true, whenEnd: true } })),
      ...(await db().output.findMany({ where: { action: { partnershipId: f.partnershipId } }, select: { whenStart: true, whenEnd: true } })),
    ].flatMap((r) => [r.whenStart, r.whenEnd].flatMap((d) => (d ? [dateToIsoDay(d)] : [])));
    const edgeDays = [...new Set(edges)].sort();
    expect(edgeDays.length).toBeGreaterThan(20);
    await bothWays(async (client) => {
      for (const edge of edgeDays) {
        for (const [day, days] of [[edge, 30], [addDays(edge, -30), 30], [edge, 0]] as const) {
          for (const soonOnly of [false, true]) {
            const ctx = contextOn(day, client);
            expect(sorted(await dueRows(ctx, { days, soonOnly })), `${day} +${days} ${soonOnly}`).toEqual(sorted(await prismaDueRows(ctx, { days, soonOnly })));
          }
        }
      }
    });
    // The comparisons mean something only if they compared rows, steps among them.
    expect(compared).toBeGreaterThan(1000);
    expect(withSteps).toBeGreaterThan(50);
  });

  it('the Actions with their co-leaders in the plan\'s order', async () => {
    const expected = await db().action.findMany({
      where: { partnershipId: f.partnershipId },
      select: { number: true, shortTitle: true, title: true, deadlineKind: true, deadlineStart: true, deadlineEnd: true, deadlineTentative: true, roles: CO_LEADER_ROLES },
      orderBy: { number: 'asc' },
    });
    expect(expected.some((a) => a.roles.some((r) => r.person))).toBe(true);
    await bothWays(async (client) => expect(await actionList({ db: client, partnership })).toEqual(expected));
  });

  it('absences of current members, earliest first, without a removed delegate', async () => {
    const prismaAbsences = async (client: Db, from: string, to: string): Promise<Absence[]> => {
      const rows = await client.absence.findMany({
        where: { partnershipId: f.partnershipId, lastDay: { gte: isoDayToDate(from) }, firstDay: { lte: isoDayToDate(to) }, person: { removedAt: null } },
        include: { person: { select: { name: true, organisationId: true, timeZone: true } }, delegate: { select: { id: true, name: true, removedAt: true } } },
        orderBy: [{ firstDay: 'asc' }, { createdAt: 'asc' }],
      });
      return rows.map((r) => ({
        id: r.id,
        personId: r.personId,
        personName: r.person.name,
        organisationId: r.person.organisationId,
        timeZone: r.person.timeZone,
        firstDay: dateToIsoDay(r.firstDay),
        lastDay: dateToIsoDay(r.lastDay),
        delegate: r.delegate && !r.delegate.removedAt ? { id: r.delegate.id, name: r.delegate.name } : null,
      }));
    };
    let found = 0;
    await bothWays(async (client) => {
      for (const [from, to] of [['2025-11-20', '2025-11-20'], ['2025-11-21', '2025-12-31'], ['2025-01-01', '9999-12-31'], ['2027-01-01', '2027-12-31']] as const) {
        const stored = await absencesBetween(client, f.partnershipId, from, to);
        expect(stored, `${from}..${to}`).toEqual(await prismaAbsences(client, from, to));
        found += stored.length;
      }
    });
    expect(found).toBeGreaterThan(6);
  });

  it('the next plenary, the agendas to freeze, the failed notifications and the card of "me"', async () => {
    const people = await db().person.findMany({ where: { partnershipId: f.partnershipId }, orderBy: { key: 'asc' } });
    const secretariat = { ...f.bot.systemContext(partnership), roles: { coordinator: false, secretariat: true, coLeads: [], memberOf: [] } };
    // Also the day before each plenary: the frozen and the cancelled one are then the nearest.
    const plenaries = await db().meeting.findMany({ where: { partnershipId: f.partnershipId, kind: 'plenary' }, select: { whenStart: true } });
    const days = [...DAYS, ...plenaries.flatMap((m) => (m.whenStart ? [addDays(dateToIsoDay(m.whenStart), -1)] : []))];
    await bothWays(async (client) => {
      for (const day of days) {
        const ctx = contextOn(day, client);
        const plenary = await client.meeting.findFirst({
          where: { partnershipId: f.partnershipId, kind: 'plenary', cancelledAt: null, whenEnd: { gte: isoDayToDate(day) } },
          orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }],
        });
        expect(await nextPlenary(ctx), day).toEqual(plenary);

        const work = await myWork({ ...secretariat, db: client, today: () => day }, 30);
        const agendas = await client.meeting.findMany({
          where: { partnershipId: f.partnershipId, kind: 'plenary', agendaFrozen: false, whenEnd: { gte: isoDayToDate(day) }, whenStart: { lte: isoDayToDate(addDays(day, 30 + partnershipSettings(partnership.settings).agendaFreezeReminderDays)) } },
          include: { _count: { select: { agenda: true } } },
          orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }],
        });
        expect(work.agendas.map((a) => [a.code, a.items]), day).toEqual(agendas.map((m) => [m.code, m._count.agenda]));
        expect(work.failedNotifications).toBe(1);
        expect(work.items, day).toEqual(await dueItems(ctx, { days: 30 }));

        for (const person of people.slice(0, 6)) {
          const card = await personCard(ctx, person, 14);
          const organisation = person.organisationId ? await client.organisation.findUnique({ where: { id: person.organisationId } }) : null;
          const absence = (await absencesBetween(client, f.partnershipId, day, addDays(day, 14))).find((a) => a.personId === person.id) ?? null;
          expect(card, `${person.key} ${day}`).toEqual({ organisation: organisation?.name ?? null, nextPlenary: plenary, absence });
        }
      }
    });
  });
});
