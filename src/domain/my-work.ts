// What a person acts on. Co-leaders and members act on their Actions' items; the secretariat and the
// coordinators run the whole partnership, so theirs is every Action's overdue and due items, the
// plenary agendas still to freeze, and the notifications nobody received.
import type { Meeting, Person } from '@prisma/client';
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import { callStored, revive } from '../persistence/stored-reads.ts';
import type { Absence } from './absences.ts';
import { partnershipSettings } from './settings.ts';
import { dueItems, dueItemsFrom, dueRowsArgs, readDueRows, type DueItem, type DueQuery, type DueRowsJson } from './due.ts';
import { addDays, type FuzzyDate } from './fuzzy-date.ts';
import { whenOf, type WhenRow } from './plan.ts';

export interface AgendaToFreeze {
  code: string;
  title: string;
  when: FuzzyDate;
  items: number;
  /** The day the agenda goes out to members: it should be frozen by then. */
  freezeBy: string;
}

export interface MyWork {
  /** 'partnership' for the secretariat and coordinators; otherwise the Actions the person is in. */
  scope: 'partnership' | number[];
  items: DueItem[];
  agendas: AgendaToFreeze[];
  failedNotifications: number;
}

export const runsPartnership = (ctx: CommandContext) => ctx.roles.secretariat || ctx.roles.coordinator;

export async function myWork(ctx: CommandContext, days: number, actionNumbers?: number[]): Promise<MyWork> {
  if (!runsPartnership(ctx)) {
    const mine = ctx.roles.memberOf.filter((n) => !actionNumbers || actionNumbers.includes(n));
    return { scope: mine, items: mine.length ? await dueItems(ctx, { days, actionNumbers: mine }) : [], agendas: [], failedNotifications: 0 };
  }
  return { scope: 'partnership', ...(await partnershipWork(ctx, { days, ...(actionNumbers ? { actionNumbers } : {}) })) };
}

type AgendaRow = WhenRow & { code: string; title: string; startsAt: Date | null; agendaItems: number };

/**
 * What is due, the open agendas of plenaries not yet held whose freeze reminder falls within the
 * next `days`, and the notifications nobody received (stored read partnerbot_partnership_work).
 */
async function partnershipWork(ctx: CommandContext, q: DueQuery): Promise<Omit<MyWork, 'scope'>> {
  const s = partnershipSettings(ctx.partnership.settings);
  const today = ctx.today();
  const found = await callStored<{ due: DueRowsJson; agendas: Record<string, unknown>[]; failedNotifications: number }>(
    ctx.db,
    'partnerbot_partnership_work($1::text, $2::int[], $3::date, $4::date, $5::boolean, $6::text[], $7::text[], $8::date)',
    [...dueRowsArgs(ctx, q), addDays(today, q.days + s.agendaFreezeReminderDays)],
  );
  const agendas = found.agendas.map((row) => {
    const m = revive<AgendaRow>('Meeting', row);
    const when = whenOf(m);
    const day = m.startsAt ? localDay(m.startsAt, ctx.partnership.timeZone) : when.start!;
    return { code: m.code, title: m.title, when, items: m.agendaItems, freezeBy: addDays(day, -s.agendaPostDays) };
  });
  return { items: dueItemsFrom(readDueRows(found.due), today, q), agendas, failedNotifications: found.failedNotifications };
}

export interface PersonCard {
  organisation: string | null;
  nextPlenary: Meeting | null;
  /** The person's current or next absence within the days asked for. */
  absence: Absence | null;
}

/** What "me" shows beside the person's work, in one stored read (partnerbot_me). */
export async function personCard(ctx: CommandContext, person: Pick<Person, 'id' | 'organisationId'>, awayDays: number): Promise<PersonCard> {
  const today = ctx.today();
  const found = await callStored<{ organisation: string | null; nextPlenary: Record<string, unknown> | null; absences: Absence[] }>(
    ctx.db,
    'partnerbot_me($1::text, $2::text, $3::text, $4::date, $5::date)',
    [ctx.partnership.id, person.id, person.organisationId, today, addDays(today, awayDays)],
  );
  return { organisation: found.organisation, nextPlenary: revive<Meeting>('Meeting', found.nextPlenary), absence: found.absences[0] ?? null };
}
