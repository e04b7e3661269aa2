// The personal daily summary (opt-in, "notify daily on"): on each of the person's working days, at the
// start of their working hours in their time zone, one DM with what needs them that day: what their
// nudges would have said since their previous working day, what is overdue, their unanswered
// check-ins, and what they present at a plenary of the coming week. Nothing is sent on a day with
// nothing. Their nudges are written skipped meanwhile (planner toPerson), so nothing arrives twice;
// the summary is keyed by person and day.
import { DateTime } from 'luxon';
import { rolesOf } from '../core/context.ts';
import type { CommandContext } from '../core/context.ts';
import { count } from '../core/count.ts';
import { context, list, mention, reply, text, type Reply } from '../core/reply.ts';
import { checkInItems, FIRST_DAY } from '../domain/checkins.ts';
import { effectiveEnd, openStepEnds } from '../domain/effective-window.ts';
import { addDays, daysUntil, describeFuzzyDate, isoDayToDate } from '../domain/fuzzy-date.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, describeMeetingTime, whenOf } from '../domain/plan.ts';
import type { Candidate } from './planner.ts';
import { personPreferences, type PartnershipSettings } from '../domain/settings.ts';

export async function dailySummaries(ctx: CommandContext, now: Date, settings: PartnershipSettings, out: Candidate[]): Promise<void> {
  const people = await ctx.db.person.findMany({
    where: { partnershipId: ctx.partnership.id, removedAt: null, preferences: { path: ['dailySummary'], equals: true } },
    include: { identities: true },
  });
  for (const person of people) {
    const prefs = personPreferences(person.preferences);
    const local = DateTime.fromJSDate(now, { zone: person.timeZone ?? ctx.partnership.timeZone });
    const morning = local.set({ hour: prefs.quietHours.start, minute: 0, second: 0, millisecond: 0 });
    if (!prefs.workingDays.includes(local.weekday) || morning > local) continue;
    const today = local.toISODate()!;
    // The days since the previous working day: a lead day on a Saturday is told on Monday.
    let since = addDays(today, -1);
    for (let i = 0; i < 7 && !prefs.workingDays.includes(DateTime.fromISO(since).weekday); i++) since = addDays(since, -1);
    const key = `daily:${person.id}:${today}`;
    const found = await whatNeedsThem(ctx, person, since, today, prefs.leadDays ?? settings.leadDays, settings);
    if (!found) continue;
    const { lines, actionNumber } = found;
    const who = mention(person.name, Object.fromEntries(person.identities.map((i) => [i.platform, i.externalId])));
    const muted = prefs.muteUntil && new Date(prefs.muteUntil) > now;
    // Where it goes if DMs are closed: like their nudges, their (first) Action's channel.
    out.push({ key, kind: 'daily-summary', dueAt: morning.toJSDate(), personId: person.id, ...(actionNumber ? { actionNumber } : {}), payload: () => summary(who, today, lines), ...(muted ? { skipReason: 'muted' } : {}) });
  }
}

interface Lines {
  today: string[];
  overdue: string[];
  checkIns: string[];
  agenda: string[];
}

/** What they present at a plenary of the coming week: told each morning of it, until the day. */
async function agendaOf(ctx: CommandContext, person: { id: string; name: string }, today: string, withinDays: number): Promise<string[]> {
  const items = await ctx.db.agendaItem.findMany({
    where: {
      OR: [{ submittedById: person.id }, { presenter: person.name }],
      meeting: { partnershipId: ctx.partnership.id, cancelledAt: null, whenKind: 'day', whenStart: { gte: isoDayToDate(today), lte: isoDayToDate(addDays(today, withinDays)) } },
    },
    include: { meeting: true },
    orderBy: [{ meeting: { whenStart: 'asc' } }, { position: 'asc' }],
  });
  return items.map((i) => {
    const m = i.meeting;
    const role = i.presenter === person.name ? 'you present' : `you proposed (presented by ${i.presenter ?? 'nobody yet'})`;
    return `${m.code} ${describeMeetingTime(m, ctx.partnership.timeZone)}: ${role} item ${i.position}, “${i.title}”${i.minutes ? ` (${i.minutes} min)` : ''}`;
  });
}

/** What the person acts on today, or null when there is nothing. */
async function whatNeedsThem(
  ctx: CommandContext,
  person: NonNullable<Parameters<typeof rolesOf>[2]>,
  since: string,
  today: string,
  leadDays: number[],
  settings: PartnershipSettings,
): Promise<{ lines: Lines; actionNumber?: number } | null> {
  const { coLeads } = await rolesOf(ctx.db, ctx.partnership.id, person);
  const agenda = await agendaOf(ctx, person, today, settings.agendaPostDays);
  if (!coLeads.length) return agenda.length ? { lines: { today: [], overdue: [], checkIns: [], agenda } } : null;
  const overdueWithinDays = settings.escalateWithinDays;
  const maxLead = Math.max(0, ...leadDays);
  const mine = { action: { partnershipId: ctx.partnership.id, number: { in: coLeads } } };
  const near = { OR: [{ whenEnd: { gte: isoDayToDate(addDays(today, -overdueWithinDays)), lte: isoDayToDate(addDays(today, maxLead)) } }, { whenStart: { gt: isoDayToDate(since), lte: isoDayToDate(today) } }] };
  const [activities, outputs, rounds] = await Promise.all([
    ctx.db.activity.findMany({ where: { ...mine, ...near, status: { notIn: CLOSED_ITEM } }, orderBy: { code: 'asc' } }),
    ctx.db.output.findMany({ where: { ...mine, ...near, status: { notIn: CLOSED_OUTPUT } }, orderBy: { code: 'asc' } }),
    ctx.db.checkIn.findMany({ where: { partnershipId: ctx.partnership.id, action: { number: { in: coLeads } } }, include: { answers: true, action: { select: { number: true } } }, orderBy: { openedAt: 'desc' } }),
  ]);
  const stepEnds = await openStepEnds(ctx.db, activities.filter((a) => !a.parentId).map((a) => a.id));
  const asked = new Set(rounds.filter((r) => r.round === FIRST_DAY).flatMap((r) => checkInItems(r).filter((i) => !r.answers.some((a) => a.n === i.n)).map((i) => i.id)));
  const lines: Lines = { today: [], overdue: [], checkIns: [], agenda };
  for (const row of [...activities, ...outputs]) {
    const own = whenOf(row);
    if (!own.start || !own.end) continue;
    const end = 'parentId' in row ? effectiveEnd(own.end, stepEnds.get(row.id)) : own.end;
    const label = `${row.code} ${row.title} — ${describeFuzzyDate(own)}`;
    if (end < today) {
      if (!asked.has(row.id)) lines.overdue.push(label);
      continue;
    }
    const days = daysUntil(end, today);
    if (leadDays.some((d) => addDays(end, -d) > since && addDays(end, -d) <= today)) {
      lines.today.push(`${label}: ${days === 0 ? 'due today' : days === 1 ? 'due tomorrow' : `due in ${days} days`}`);
    } else if (own.kind !== 'day' && own.start > since && own.start <= today) lines.today.push(`${label}: starts now`);
  }
  const latestMonthly = new Set<number>();
  for (const r of rounds) {
    if (r.round === FIRST_DAY) {
      const waiting = checkInItems(r).filter((i) => !r.answers.some((a) => a.n === i.n)).length;
      if (waiting) lines.checkIns.push(`A${r.action.number}: ${count(waiting, 'item')} to confirm ("checkin")`);
    } else if (!latestMonthly.has(r.action.number)) {
      latestMonthly.add(r.action.number);
      if (!r.answers.length) lines.checkIns.push(`A${r.action.number}: the state of play ("checkin")`);
    }
  }
  return lines.today.length || lines.overdue.length || lines.checkIns.length || lines.agenda.length ? { lines, actionNumber: coLeads[0]! } : null;
}

function summary(who: ReturnType<typeof mention>, today: string, l: Lines): Reply {
  const n = l.today.length + l.overdue.length + l.checkIns.length + l.agenda.length;
  return reply(`Your day: ${count(n, 'thing')} to act on`, [
    text(who, `, what needs you on ${describeFuzzyDate({ kind: 'day', start: today, end: today, tentative: false })}:`),
    ...(l.today.length ? [list(l.today, 'Today')] : []),
    ...(l.overdue.length ? [list(l.overdue, 'Overdue')] : []),
    ...(l.checkIns.length ? [list(l.checkIns, 'Check-ins waiting for you')] : []),
    ...(l.agenda.length ? [list(l.agenda, 'Plenary agenda')] : []),
    context(`${l.today.length || l.overdue.length ? 'Mark one done with "milestone done <id>", move it with "milestone move <id> <date>". ' : ''}Separate nudges instead: "notify daily off".`),
  ]);
}
