// The digest's check-in section: each Action's last state-of-play update, and which Actions have not
// answered their latest monthly check-in. Shown once monthly check-ins have started.
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import { list, type Block } from '../core/reply.ts';
import { FIRST_DAY } from './checkins.ts';
import { describeFuzzyDate } from './fuzzy-date.ts';

const dayText = (isoDay: string) => describeFuzzyDate({ kind: 'day', start: isoDay, end: isoDay, tentative: false });

export async function checkInSection(ctx: Pick<CommandContext, 'db' | 'partnership'>): Promise<Block | null> {
  const zone = ctx.partnership.timeZone;
  const actions = await ctx.db.action.findMany({
    where: { partnershipId: ctx.partnership.id },
    select: {
      number: true,
      statePlaySetAt: true,
      checkIns: { where: { round: { not: FIRST_DAY } }, orderBy: { openedAt: 'desc' }, take: 1, include: { answers: { where: { n: 0 }, select: { n: true } } } },
    },
    orderBy: { number: 'asc' },
  });
  if (!actions.some((a) => a.checkIns.length)) return null;
  return list(
    actions.map((a) => {
      const latest = a.checkIns[0];
      const updated = a.statePlaySetAt ? `last updated ${dayText(localDay(a.statePlaySetAt, zone))}` : 'not updated since the work plan';
      const waiting = latest && !latest.answers.length ? `; check-in of ${dayText(localDay(latest.openedAt, zone))} not answered` : '';
      return `A${a.number}: ${updated}${waiting}`;
    }),
    'State of play',
  );
}
