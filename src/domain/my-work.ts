// What a person acts on. Co-leaders and members act on their Actions' items; the secretariat and the
// coordinators run the whole partnership, so theirs is every Action's overdue and due items, the
// plenary agendas still to freeze, and the notifications nobody received.
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import { partnershipSettings } from './settings.ts';
import { dueItems, type DueItem } from './due.ts';
import { addDays, isoDayToDate, type FuzzyDate } from './fuzzy-date.ts';
import { whenOf } from './plan.ts';

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
  const [items, agendas, failedNotifications] = await Promise.all([
    dueItems(ctx, { days, ...(actionNumbers ? { actionNumbers } : {}) }),
    agendasToFreeze(ctx, days),
    ctx.db.outboxMessage.count({ where: { partnershipId: ctx.partnership.id, status: 'failed' } }),
  ]);
  return { scope: 'partnership', items, agendas, failedNotifications };
}

/** Open agendas of plenaries not yet held whose freeze reminder falls within the next `days`. */
async function agendasToFreeze(ctx: CommandContext, days: number): Promise<AgendaToFreeze[]> {
  const s = partnershipSettings(ctx.partnership.settings);
  const today = ctx.today();
  const plenaries = await ctx.db.meeting.findMany({
    where: {
      partnershipId: ctx.partnership.id,
      kind: 'plenary',
      agendaFrozen: false,
      whenEnd: { gte: isoDayToDate(today) },
      whenStart: { lte: isoDayToDate(addDays(today, days + s.agendaFreezeReminderDays)) },
    },
    include: { _count: { select: { agenda: true } } },
    orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }],
  });
  return plenaries.map((m) => {
    const when = whenOf(m);
    const day = m.startsAt ? localDay(m.startsAt, ctx.partnership.timeZone) : when.start!;
    return { code: m.code, title: m.title, when, items: m._count.agenda, freezeBy: addDays(day, -s.agendaPostDays) };
  });
}
