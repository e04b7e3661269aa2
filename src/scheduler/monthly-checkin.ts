// The monthly state-of-play check-in. On the configured working day and time, one round per Action
// and month is written (unique per Action and round: replicas and restarts share it); "checkin send"
// writes one by hand. Each round asks the Action's co-leaders once, and reminds them once after
// MONTHLY_REMINDER_WORKING_DAYS working days if nobody answered; both are outbox rows keyed by round
// and person.
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import { monthlyMoment, stateOfPlay } from '../domain/monthly-round.ts';
import { isMonthlyRound, MONTHLY_REMINDER_WORKING_DAYS, monthlyQuestion, type StateOfPlay } from '../domain/checkins.ts';
import { addWorkingDays } from '../domain/working-days.ts';
import { CHECKIN_ROUND_LIFE_DAYS, whomToAsk, type CheckInPlanning } from './first-day-checkin.ts';
import type { Candidate } from './planner.ts';
import type { PartnershipSettings } from '../domain/settings.ts';

const CATCH_UP_MS = 7 * 86_400_000;

export async function monthlyCheckIns(ctx: CommandContext, now: Date, settings: PartnershipSettings, p: CheckInPlanning, out: Candidate[]): Promise<void> {
  const zone = ctx.partnership.timeZone;
  const month = ctx.today().slice(0, 7);
  const moment = monthlyMoment(month, settings, zone);
  if (moment <= now && now.getTime() - moment.getTime() <= CATCH_UP_MS) {
    const actions = await ctx.db.action.findMany({ where: { partnershipId: ctx.partnership.id }, select: { id: true } });
    await ctx.db.checkIn.createMany({
      data: actions.map((a) => ({ partnershipId: ctx.partnership.id, actionId: a.id, round: month, openedAt: moment, items: [] })),
      skipDuplicates: true,
    });
  }
  const rounds = (
    await ctx.db.checkIn.findMany({
      where: { partnershipId: ctx.partnership.id, openedAt: { gte: new Date(now.getTime() - CHECKIN_ROUND_LIFE_DAYS * 86_400_000), lte: now } },
      include: { answers: { select: { n: true } }, action: { select: { number: true } } },
      orderBy: { openedAt: 'asc' },
    })
  ).filter((r) => isMonthlyRound(r.round));
  if (!rounds.length) return;
  const leaders = await p.coLeaders(rounds.map((r) => r.actionId));
  for (const round of rounds) {
    let state: Promise<StateOfPlay> | undefined;
    const stateOnce = () => (state ??= stateOfPlay(ctx, round));
    const remindAt = p.at(addWorkingDays(localDay(round.openedAt, zone), MONTHLY_REMINDER_WORKING_DAYS));
    for (const r of await whomToAsk(p, leaders.get(round.actionId) ?? [], localDay(round.openedAt, zone))) {
      if (now.getTime() - round.openedAt.getTime() <= CATCH_UP_MS) {
        out.push(p.toPerson(r, `checkin-monthly:${round.id}:${r.person.id}`, 'checkin-monthly', round.openedAt, round.action.number, async () => monthlyQuestion(await stateOnce(), false, r.mention), now));
      }
      if (!round.answers.length && remindAt <= now) {
        out.push(p.toPerson(r, `checkin-reminder:${round.id}:${r.person.id}`, 'checkin-reminder', remindAt, round.action.number, async () => monthlyQuestion(await stateOnce(), true, r.mention), now));
      }
    }
  }
}
