// The span a partnership's dates may take: from the first year of its plan to two years after its
// last Action deadline. A date outside it is a typo ("1999" for "2026"), and once stored it would
// stretch every chart and calendar around it.
import { DateTime } from 'luxon';
import type { Action } from '@prisma/client';
import type { CommandContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';
import { dateToIsoDay, describeFuzzyDate, type FuzzyDate } from './fuzzy-date.ts';
import { deadlineOf } from './plan.ts';

const YEARS_AFTER_LAST_DEADLINE = 2;

/** First and last allowed day (ISO), or null on a side the plan does not fix. The plan's own items set the first year. */
export async function planLife(ctx: Pick<CommandContext, 'db' | 'partnership'>): Promise<{ first: string | null; last: string | null }> {
  const partnershipId = ctx.partnership.id;
  const [activities, outputs, meetings, actions] = await Promise.all([
    ctx.db.activity.aggregate({ where: { action: { partnershipId }, createdInChat: false }, _min: { whenStart: true } }),
    ctx.db.output.aggregate({ where: { action: { partnershipId }, createdInChat: false }, _min: { whenStart: true } }),
    ctx.db.meeting.aggregate({ where: { partnershipId }, _min: { whenStart: true } }),
    ctx.db.action.aggregate({ where: { partnershipId }, _max: { deadlineEnd: true } }),
  ]);
  const starts = [activities, outputs, meetings].map((a) => a._min.whenStart).filter((d): d is Date => d !== null);
  const earliest = starts.length ? dateToIsoDay(new Date(Math.min(...starts.map((d) => d.getTime())))) : null;
  const deadline = actions._max.deadlineEnd;
  return {
    first: earliest ? `${earliest.slice(0, 4)}-01-01` : null,
    last: deadline ? DateTime.fromJSDate(deadline, { zone: 'utc' }).plus({ years: YEARS_AFTER_LAST_DEADLINE }).toISODate() : null,
  };
}

/** Refuses a date outside the partnership's life, naming the allowed range. */
export async function checkPartnershipDate(ctx: Pick<CommandContext, 'db' | 'partnership'>, when: FuzzyDate): Promise<void> {
  if (!when.start || !when.end) return;
  const { first, last } = await planLife(ctx);
  if ((first && when.start < first) || (last && when.end > last)) {
    const range = first && last ? `from ${first} to ${last}` : first ? `from ${first} on` : `until ${last}`;
    throw new UserError(
      `${describeFuzzyDate(when)} is outside this partnership's plan: dates ${range} are accepted.`,
      `That is the plan's first year to ${YEARS_AFTER_LAST_DEADLINE} years after its last deadline.`,
    );
  }
}

/**
 * Refuses a date outside the partnership's life, naming the allowed range; returns a warning to add
 * to the reply when the date is past the Action's own deadline (allowed: plans slip), or null.
 */
export async function checkPlanDate(ctx: Pick<CommandContext, 'db' | 'partnership'>, action: Action, when: FuzzyDate): Promise<string | null> {
  if (!when.start || !when.end) return null;
  await checkPartnershipDate(ctx, when);
  const deadline = deadlineOf(action);
  if (deadline.end && when.end > deadline.end) return `Note: that is after A${action.number}'s deadline (${describeFuzzyDate(deadline)}).`;
  return null;
}
