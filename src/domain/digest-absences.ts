// The digest's "Away in the next 14 days": who is on leave and who stands in, so the partnership knows
// whom not to wait for.
import type { CommandContext } from '../core/context.ts';
import { list, type Block } from '../core/reply.ts';
import { absencesBetween, awayText } from './absences.ts';
import { addDays } from './fuzzy-date.ts';

const DAYS = 14;

export async function absencesSection(ctx: Pick<CommandContext, 'db' | 'partnership' | 'today' | 'clock'>): Promise<Block | null> {
  const today = ctx.today();
  const away = await absencesBetween(ctx.db, ctx.partnership.id, today, addDays(today, DAYS));
  return away.length ? list(away.map((a) => `${a.personName} — ${awayText(a, ctx)}`), `Away in the next ${DAYS} days`) : null;
}
