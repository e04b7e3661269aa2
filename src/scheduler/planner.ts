// Decides, at one instant, which notifications are due — from the database and the clock alone, so
// a restart forgets nothing — and writes them to the outbox under unique keys in one transaction.
// Repeating a tick, restarting, or running two replicas cannot create a notification twice.
import type { Person, Prisma } from '@prisma/client';
import { DateTime } from 'luxon';
import type { CommandContext } from '../core/context.ts';
import { mention, reply, text, type Mention, type Reply } from '../core/reply.ts';
import type { ChannelTarget } from '../domain/channels.ts';
import { meetingInvitation } from '../exports/calendar-events.ts';
import { effectiveEnd, openStepEndingBetween, openStepEnds } from '../domain/effective-window.ts';
import { addDays, daysUntil, isoDayToDate } from '../domain/fuzzy-date.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, describeMeetingTime, whenOf } from '../domain/plan.ts';
import { insertOutboxRows } from '../persistence/outbox-insert.ts';
import { buildDigest } from '../domain/digest.ts';
import { escalation, leadNudge, needsADate, plenaryNotice, windowStartNudge, type NoticeItem, type PlenaryNotice } from './messages.ts';
import { awayText } from '../domain/absences.ts';
import { LeaveRouting } from './leave-routing.ts';
import { CHECKIN_ROUND_LIFE_DAYS, firstDayCheckIns, type CheckInPlanning } from './first-day-checkin.ts';
import { monthlyCheckIns } from './monthly-checkin.ts';
import { dailySummaries } from './daily-summary.ts';
import { addWorkingDays } from '../domain/working-days.ts';
import { partnershipSettings, personPreferences, type PartnershipSettings, type PersonPreferences } from '../domain/settings.ts';

export { addWorkingDays };

/** How far back a tick looks for moments it missed (downtime it can catch up on). */
export const CATCH_UP_DAYS = 7;
/** A moment missed by more than this is delivered marked late. */
const LATE_AFTER_MS = 60 * 60 * 1000;
/** A missed digest is still posted within this delay, and skipped after it. */
const DIGEST_GRACE_MS = 12 * 60 * 60 * 1000;

/** What the configured platforms add to the plan (e-mail: the digest list, invitations by e-mail). */
export interface PlanOptions {
  /** Each gets its own copy of the weekly digest (its own outbox row), besides the bound channels. */
  digestTargets?: ChannelTarget[];
  /** People can be reached by address: plenary invitations go to those who get their notifications by e-mail. */
  byAddress?: boolean;
}

export interface Candidate {
  key: string;
  kind: string;
  dueAt: Date;
  personId?: string;
  scope?: 'partnership' | 'secretariat' | 'action';
  actionNumber?: number;
  /** One channel of the scope only (the digest's copy for a list). */
  target?: ChannelTarget;
  /**
   * Built only for a key that is new: most candidates of a tick were written by an earlier tick, and
   * some messages (the digest, a plenary's agenda) take queries to build.
   */
  payload: () => Reply | Promise<Reply>;
  /** Written already skipped (the person muted nudges): kept so it is never sent later. */
  skipReason?: string;
}

export interface Planned extends Omit<Candidate, 'payload'> {
  payload: Reply;
  late: boolean;
}

export interface PlanResult {
  created: Planned[];
  stale: { key: string; reason: string }[];
}

export interface Recipient {
  person: Person;
  prefs: PersonPreferences;
  mention: Mention;
}

/** A role's people (the named person, or everyone of the organisation) with their chat accounts. */
const ROLE_PEOPLE = {
  organisation: { include: { people: { where: { removedAt: null }, include: { identities: true } } } },
  person: { include: { identities: true } },
} as const;

/** The people a role names, leaving out anyone taken off the roster. */
const rolePeople = <P extends Person>(r: { person: P | null; organisation: { people: P[] } | null }): P[] =>
  r.person ? (r.person.removedAt ? [] : [r.person]) : (r.organisation?.people ?? []);

const mentionOf = (p: Pick<Person, 'name'> & { identities: { platform: string; externalId: string }[] }): Mention =>
  mention(p.name, Object.fromEntries(p.identities.map((i) => [i.platform, i.externalId])));

const recipientOf = (p: Person & { identities: { platform: string; externalId: string }[] }): Recipient => ({
  person: p,
  prefs: personPreferences(p.preferences),
  mention: mentionOf(p),
});

export class Planner {
  private readonly settings: PartnershipSettings;

  constructor(
    private readonly ctx: CommandContext,
    private readonly options: PlanOptions = {},
  ) {
    this.settings = partnershipSettings(ctx.partnership.settings);
  }

  private readonly instants = new Map<string, Date>();

  /** The instant `hour`:00 on `isoDay` in the partnership's time zone (memoised: time-zone maths is slow). */
  private at(isoDay: string, hour = this.settings.sendHour): Date {
    const key = `${isoDay}T${String(hour).padStart(2, '0')}:00`;
    let instant = this.instants.get(key);
    if (!instant) {
      instant = DateTime.fromISO(key, { zone: this.ctx.partnership.timeZone }).toJSDate();
      this.instants.set(key, instant);
    }
    return instant;
  }

  async plan(): Promise<PlanResult> {
    const now = this.ctx.clock.now();
    const candidates: Candidate[] = [];
    const stale: PlanResult['stale'] = [];
    if (!this.ctx.partnership.nudgesPaused) {
      const askedInCheckIn = await firstDayCheckIns(this.ctx, now, this.checkInPlanning, candidates);
      await monthlyCheckIns(this.ctx, now, this.settings, this.checkInPlanning, candidates);
      await dailySummaries(this.ctx, now, this.settings, candidates);
      await this.itemNotices(now, candidates, stale, askedInCheckIn);
      await this.undatedNotices(now, candidates);
    }
    await this.plenaryNotices(now, candidates, stale);
    await this.digest(now, candidates, stale);
    return { created: await this.write(now, candidates), stale };
  }

  private async coLeaders(actionIds: string[]): Promise<Map<string, Recipient[]>> {
    const roles = await this.ctx.db.actionRole.findMany({ where: { actionId: { in: actionIds }, role: 'co_leader' }, include: ROLE_PEOPLE });
    const byAction = new Map<string, Recipient[]>();
    for (const r of roles) {
      const list = byAction.get(r.actionId) ?? [];
      for (const p of rolePeople(r)) {
        if (!list.some((x) => x.person.id === p.id)) list.push(recipientOf(p));
      }
      byAction.set(r.actionId, list);
    }
    return byAction;
  }

  /** Leave for the check-ins, loaded once a tick has a check-in to send. */
  private checkInLeave?: Promise<LeaveRouting>;

  private readonly checkInPlanning: CheckInPlanning = {
    at: (isoDay) => this.at(isoDay),
    coLeaders: (actionIds) => this.coLeaders(actionIds),
    coordinators: () => this.coordinatorMentions(),
    toPerson: (...args) => this.toPerson(...args),
    askable: async (r, openedDay) => {
      const now = this.ctx.clock.now();
      // Leave since the oldest round still asked about decides who is asked.
      this.checkInLeave ??= LeaveRouting.load(this.ctx.db, this.ctx.partnership.id, now, this.ctx.partnership.timeZone, CHECKIN_ROUND_LIFE_DAYS);
      const route = (await this.checkInLeave).route(r.person.id, r, openedDay, recipientOf);
      return 'to' in route ? route.to : null;
    },
  };

  /** `askedInCheckIn`: items (`id:last day`) a check-in asked about, which it escalates itself if need be. */
  private async itemNotices(now: Date, out: Candidate[], stale: PlanResult['stale'], askedInCheckIn: Set<string>): Promise<void> {
    const today = this.ctx.today();
    const s = this.settings;
    // Look as far ahead as the longest lead time anyone uses (kept in the settings by "notify leadtimes").
    const maxLead = Math.max(0, ...s.leadDays, s.longestPersonalLeadDays);
    // Indexed window: items whose end is near (nudges, escalation) or whose start just passed.
    const [endFromDay, endToDay] = [addDays(today, -s.escalateWithinDays - 2 * s.escalateAfterWorkingDays), addDays(today, maxLead)];
    const endFrom = isoDayToDate(endFromDay);
    const endTo = isoDayToDate(endToDay);
    const startFrom = isoDayToDate(addDays(today, -CATCH_UP_DAYS));
    const near = {
      action: { partnershipId: this.ctx.partnership.id },
      OR: [{ whenEnd: { gte: endFrom, lte: endTo } }, { whenStart: { gte: startFrom, lte: isoDayToDate(today) } }],
    } satisfies Prisma.ActivityWhereInput;
    // Only the columns a notice needs: loading rows is most of a tick's cost on a large plan.
    const select = {
      id: true,
      actionId: true,
      code: true,
      title: true,
      whenKind: true,
      whenStart: true,
      whenEnd: true,
      whenTentative: true,
      snoozedUntil: true,
      action: { select: { number: true } },
    } as const;
    // An activity whose open steps run past its own window falls due when they end.
    const stepsNear = { action: near.action, ...openStepEndingBetween(endFromDay, endToDay) };
    const [activities, outputs] = await Promise.all([
      this.ctx.db.activity.findMany({ where: { OR: [near, stepsNear], status: { notIn: CLOSED_ITEM } }, select: { ...select, parentId: true } }),
      this.ctx.db.output.findMany({ where: { ...near, status: { notIn: CLOSED_OUTPUT } }, select }),
    ]);
    const rows = [
      ...activities.map((a) => ({ row: a, kind: 'activity' as const })),
      ...outputs.map((o) => ({ row: o, kind: 'output' as const })),
    ];
    const leaders = await this.coLeaders([...new Set(rows.map((r) => r.row.actionId))]);
    const stepEnds = await openStepEnds(this.ctx.db, activities.filter((a) => !a.parentId).map((a) => a.id));
    const coordinators = await this.coordinatorMentions();
    // A lead moment lies at most the longest lead time back: leave since then decides who gets it.
    const leave = await LeaveRouting.load(this.ctx.db, this.ctx.partnership.id, now, this.ctx.partnership.timeZone, Math.max(maxLead, CATCH_UP_DAYS));
    for (const { row, kind } of rows) {
      if (row.snoozedUntil && row.snoozedUntil > now) continue;
      const own = whenOf(row);
      if (!own.start || !own.end) continue;
      const start = own.start;
      const end = effectiveEnd(own.end, stepEnds.get(row.id));
      const when = end === own.end ? own : { kind: 'range' as const, start, end, tentative: own.tentative };
      const item: NoticeItem = { id: row.id, code: row.code, title: row.title, kind, when, actionNumber: row.action.number };
      const recipients = leaders.get(row.actionId) ?? [];
      // Before it falls due: only the latest lead whose moment has passed, so a bot that was down for
      // a week sends "due in 7 days", not also the "14 days" it missed.
      for (const r of recipients) {
        const leads = [...(r.prefs.leadDays ?? s.leadDays)].sort((a, b) => b - a);
        const passed = leads.filter((d) => this.at(addDays(end, -d)) <= now);
        const lead = passed[passed.length - 1];
        if (lead === undefined) continue;
        if (end < today) {
          // Only a nudge that fell due during a recent downtime is worth a log line.
          const key = `nudge:${row.id}:${end}:${lead}:${r.person.id}`;
          if (recent(this.at(addDays(end, -lead)), now)) stale.push({ key, reason: `nudge to ${r.person.name}: ${row.code} is already past its due day` });
          continue;
        }
        const route = leave.route(r.person.id, r, addDays(end, -lead), recipientOf);
        if (!('to' in route)) continue;
        const { to, standingInFor } = route;
        const key = `nudge:${row.id}:${end}:${lead}:${to.person.id}`;
        out.push(this.toPerson(to, key, 'nudge', this.at(addDays(end, -lead)), item.actionNumber, () => leadNudge(item, daysUntil(end, today), to.mention, standingInFor && `${standingInFor.personName}, ${awayText(standingInFor, this.ctx, false)}`), now));
      }
      // The start of a fuzzy window ("starts this month").
      if (own.kind !== 'day' && start <= today) {
        const moment = this.at(start);
        for (const r of recipients) {
          if (daysUntil(today, start) > CATCH_UP_DAYS || end < today) {
            const key = `start:${row.id}:${start}:${r.person.id}`;
            if (recent(moment, now)) stale.push({ key, reason: `start notice to ${r.person.name}: ${row.code} started too long ago` });
            continue;
          }
          const route = leave.route(r.person.id, r, start, recipientOf);
          if (!('to' in route)) continue;
          const { to, standingInFor } = route;
          const key = `start:${row.id}:${start}:${to.person.id}`;
          out.push(this.toPerson(to, key, 'window-start', moment, item.actionNumber, () => windowStartNudge(item, to.mention, standingInFor && `${standingInFor.personName}, ${awayText(standingInFor, this.ctx, false)}`), now));
        }
      }
      // Escalation, once, N working days after the due day.
      if (end < today && !askedInCheckIn.has(`${row.id}:${end}`)) {
        const escalateDay = addWorkingDays(end, s.escalateAfterWorkingDays);
        const moment = this.at(escalateDay);
        if (moment <= now && daysUntil(today, end) <= s.escalateWithinDays) {
          out.push({
            key: `escalate:${row.id}:${end}`,
            kind: 'escalation',
            dueAt: moment,
            scope: 'secretariat',
            payload: () =>
              escalation(
                item,
                s.escalateAfterWorkingDays,
                [...coordinators, ...recipients.map((r) => r.mention)],
                recipients.flatMap((r) => leave.awayNow(r.person.id) ?? []).map((a) => `${a.personName} is ${awayText(a, this.ctx)}`),
              ),
          });
        }
      }
    }
  }

  private async coordinatorMentions(): Promise<Mention[]> {
    const roles = await this.ctx.db.partnershipRole.findMany({ where: { partnershipId: this.ctx.partnership.id, role: 'coordinator' }, include: ROLE_PEOPLE });
    return roles.flatMap(rolePeople).map(mentionOf);
  }

  private toPerson(r: Recipient, key: string, kind: string, dueAt: Date, actionNumber: number, payload: Candidate['payload'], now: Date): Candidate {
    const muted = r.prefs.muteUntil && new Date(r.prefs.muteUntil) > now;
    // Who takes the daily summary finds the day's nudges there (daily-summary.ts), not one by one.
    const summarised = r.prefs.dailySummary && (kind === 'nudge' || kind === 'window-start');
    const skipReason = muted ? 'muted' : summarised ? 'in the daily summary' : undefined;
    return { key, kind, dueAt, personId: r.person.id, actionNumber, payload, ...(skipReason ? { skipReason } : {}) };
  }

  /** "This needs a date", monthly, for items with no real date ("2026, timing TBD", "tbd"). */
  private async undatedNotices(now: Date, out: Candidate[]): Promise<void> {
    const today = this.ctx.today();
    const month = today.slice(0, 7);
    const moment = this.at(firstWorkingDay(month));
    if (moment > now) return;
    const undated = { action: { partnershipId: this.ctx.partnership.id }, OR: [{ whenKind: 'unknown' as const }, { whenKind: 'year' as const, whenTentative: true }] };
    const [activities, outputs] = await Promise.all([
      this.ctx.db.activity.findMany({ where: { ...undated, status: { notIn: CLOSED_ITEM } }, include: { action: true } }),
      this.ctx.db.output.findMany({ where: { ...undated, status: { notIn: CLOSED_OUTPUT } }, include: { action: true } }),
    ]);
    const byAction = new Map<number, { id: string; items: { code: string; title: string; when: ReturnType<typeof whenOf> }[] }>();
    for (const row of [...activities, ...outputs]) {
      const entry = byAction.get(row.action.number) ?? { id: row.actionId, items: [] };
      entry.items.push({ code: row.code, title: row.title, when: whenOf(row) });
      byAction.set(row.action.number, entry);
    }
    const leaders = await this.coLeaders([...byAction.values()].map((e) => e.id));
    for (const [number, { id, items }] of byAction) {
      const payload = () => needsADate(number, items, (leaders.get(id) ?? []).map((r) => r.mention));
      out.push({ key: `undated:${id}:${month}`, kind: 'needs-date', dueAt: moment, scope: 'action', actionNumber: number, payload });
      out.push({ key: `undated-secretariat:${id}:${month}`, kind: 'needs-date', dueAt: moment, scope: 'secretariat', actionNumber: number, payload });
    }
  }

  private async plenaryNotices(now: Date, out: Candidate[], stale: PlanResult['stale']): Promise<void> {
    const today = this.ctx.today();
    const s = this.settings;
    const plenaries = await this.ctx.db.meeting.findMany({
      where: {
        partnershipId: this.ctx.partnership.id,
        kind: 'plenary',
        cancelledAt: null,
        whenEnd: { gte: isoDayToDate(addDays(today, -15)) },
        whenStart: { lte: isoDayToDate(addDays(today, s.agendaCallDays + 1)) },
      },
    });
    for (const m of plenaries) {
      const when = whenOf(m);
      const day = m.startsAt ? DateTime.fromJSDate(m.startsAt, { zone: this.ctx.partnership.timeZone }).toISODate()! : when.start!;
      const exactDay = Boolean(m.startsAt) || when.kind === 'day';
      const dayText = describeMeetingTime(m, this.ctx.partnership.timeZone);
      let agenda: Promise<string[]> | undefined;
      const agendaLines = () =>
        (agenda ??= this.ctx.db.agendaItem
          .findMany({ where: { meetingId: m.id }, orderBy: { position: 'asc' } })
          .then((items) => items.map((a) => `${a.position}. ${a.title}${a.minutes ? ` (${a.minutes} min)` : ''}`)));
      const notices: [PlenaryNotice, string, 'partnership' | 'secretariat', boolean][] = [
        ['call', addDays(day, -s.agendaCallDays), 'partnership', today < day],
        ['freeze', addDays(day, -s.agendaFreezeReminderDays), 'secretariat', today < day],
        ['agenda', addDays(day, -s.agendaPostDays), 'partnership', today < day],
        ['daybefore', addDays(day, -1), 'partnership', exactDay && today <= day],
        ['decisions', addDays(when.end!, 1), 'secretariat', daysUntil(today, when.end!) <= 14],
      ];
      for (const [kind, noticeDay, scope, useful] of notices) {
        if (kind === 'daybefore' && !exactDay) continue;
        if (kind === 'freeze' && m.agendaFrozen) continue;
        const moment = this.at(noticeDay);
        if (moment > now) continue;
        const key = `plenary-${kind}:${m.id}:${day}`;
        if (!useful) {
          if (recent(moment, now)) stale.push({ key, reason: `${m.code} ${kind} notice no longer useful` });
          continue;
        }
        if (now.getTime() - moment.getTime() > CATCH_UP_DAYS * 86_400_000) continue;
        out.push({ key, kind: `plenary-${kind}`, dueAt: moment, scope, payload: async () => plenaryNotice(kind, m, await agendaLines(), dayText) });
        // The agenda also goes, as a calendar invitation, to each member who reads e-mail rather than chat;
        // only once the day is fixed: "December 2025 (tbc)" would be a month-long event in their calendars.
        if (kind !== 'agenda' || !exactDay) continue;
        for (const person of await this.invitees()) {
          out.push({
            key: `plenary-invite:${m.id}:${day}:${person.id}`,
            kind: 'plenary-invite',
            dueAt: moment,
            personId: person.id,
            payload: async () => {
              const invitation = meetingInvitation({ ...m, action: null }, this.ctx.partnership, 'REQUEST');
              return { ...plenaryNotice(kind, m, await agendaLines(), dayText), ...(invitation ? { invitation } : {}) };
            },
          });
        }
      }
    }
    if (this.options.byAddress) {
      await this.plenaryCancellations(now, out);
      await this.plenaryUpdates(now, out);
    }
  }

  /**
   * Whoever holds an invitation to a plenary that has changed since (a new date, time, venue or link:
   * its calendar revision rose) gets the new version at once, under the same UID with the higher
   * SEQUENCE, so their calendar moves with it instead of waiting for the next agenda post.
   */
  private async plenaryUpdates(now: Date, out: Candidate[]): Promise<void> {
    // Only plenaries still to come: a tick must not read every invitation ever sent.
    const today = isoDayToDate(this.ctx.today());
    const meetings = await this.ctx.db.meeting.findMany({ where: { partnershipId: this.ctx.partnership.id, kind: 'plenary', cancelledAt: null, whenEnd: { gte: today } } });
    if (!meetings.length) return;
    const sent = await this.ctx.db.outboxMessage.findMany({
      where: {
        partnershipId: this.ctx.partnership.id,
        status: 'sent',
        personId: { not: null },
        OR: meetings.flatMap((m) => [{ key: { startsWith: `plenary-invite:${m.id}:` } }, { key: { startsWith: `plenary-update:${m.id}:` } }]),
      },
      select: { key: true, personId: true, payload: true },
    });
    if (!sent.length) return;
    // Per plenary (its id is the key's second part), the revision each person's calendar holds.
    const held = new Map<string, Map<string, number>>();
    for (const row of sent) {
      const meetingId = row.key.split(':')[1]!;
      const sequence = (row.payload as { invitation?: { sequence?: number } }).invitation?.sequence ?? 0;
      const people = held.get(meetingId) ?? new Map<string, number>();
      people.set(row.personId!, Math.max(people.get(row.personId!) ?? 0, sequence));
      held.set(meetingId, people);
    }
    for (const m of meetings) {
      for (const [personId, revision] of held.get(m.id) ?? []) {
        if (revision >= m.revision) continue;
        out.push({
          key: `plenary-update:${m.id}:${m.revision}:${personId}`,
          kind: 'plenary-update',
          dueAt: now,
          personId,
          payload: () => {
            const invitation = meetingInvitation({ ...m, action: null }, this.ctx.partnership, 'REQUEST');
            const when = describeMeetingTime(m, this.ctx.partnership.timeZone);
            return reply(`Changed: ${m.code} ${m.title}`, [text(`${m.code} ${m.title} is now ${when}${m.location ? `, ${m.location}` : ''}. Your calendar's copy is updated with this message.`)], invitation ? { invitation } : {});
          },
        });
      }
    }
  }

  /** The people who get plenary invitations by e-mail: an address, and e-mail chosen or no chat account. */
  private invitees = async (): Promise<Person[]> => {
    if (!this.options.byAddress) return [];
    this.inviteesOnce ??= this.ctx.db.person
      .findMany({ where: { partnershipId: this.ctx.partnership.id, removedAt: null, email: { not: null } }, include: { identities: { select: { id: true } } }, orderBy: { key: 'asc' } })
      .then((people) =>
        people.filter((p) => {
          const prefs = personPreferences(p.preferences);
          if (prefs.emailOff.includes('plenaries') || prefs.via === 'chat') return false;
          return prefs.via !== 'auto' || p.identities.length === 0;
        }),
      );
    return this.inviteesOnce;
  };

  private inviteesOnce: Promise<Person[]> | undefined;

  /** Everyone who was sent an invitation to a plenary cancelled since gets its cancellation, once. */
  private async plenaryCancellations(now: Date, out: Candidate[]): Promise<void> {
    const cancelled = await this.ctx.db.meeting.findMany({
      where: { partnershipId: this.ctx.partnership.id, kind: 'plenary', cancelledAt: { gte: new Date(now.getTime() - CATCH_UP_DAYS * 86_400_000), lte: now } },
    });
    for (const m of cancelled) {
      const invited = await this.ctx.db.outboxMessage.findMany({
        where: { kind: 'plenary-invite', status: 'sent', key: { startsWith: `plenary-invite:${m.id}:` }, personId: { not: null } },
        select: { personId: true },
      });
      for (const personId of new Set(invited.map((r) => r.personId!))) {
        out.push({
          // Per cancellation: a plenary reinstated and cancelled again is cancelled again in calendars.
          key: `plenary-cancel:${m.id}:${m.cancelledAt!.toISOString()}:${personId}`,
          kind: 'plenary-cancel',
          dueAt: m.cancelledAt!,
          personId,
          payload: () => {
            const invitation = meetingInvitation({ ...m, action: null }, this.ctx.partnership, 'CANCEL');
            return reply(`Cancelled: ${m.code} ${m.title}`, [text(`${m.code} ${m.title} is cancelled${m.cancelReason ? `: ${m.cancelReason}` : '.'}`)], invitation ? { invitation } : {});
          },
        });
      }
    }
  }

  private async digest(now: Date, out: Candidate[], stale: PlanResult['stale']): Promise<void> {
    const s = this.settings;
    const local = DateTime.fromJSDate(now, { zone: this.ctx.partnership.timeZone });
    let moment = local.set({ hour: s.digestHour, minute: 0, second: 0, millisecond: 0 });
    const back = (local.weekday - s.digestWeekday + 7) % 7;
    moment = moment.minus({ days: back });
    if (moment > local) moment = moment.minus({ weeks: 1 });
    const key = `digest:${this.ctx.partnership.id}:${moment.toISODate()}`;
    if (now.getTime() - moment.toMillis() > DIGEST_GRACE_MS) {
      if (now.getTime() - moment.toMillis() < DIGEST_GRACE_MS + 2 * 60_000) stale.push({ key, reason: 'weekly digest missed by more than 12 hours' });
      return;
    }
    out.push({ key, kind: 'digest', dueAt: moment.toJSDate(), scope: 'partnership', payload: () => buildDigest(this.ctx) });
    for (const target of this.options.digestTargets ?? []) {
      out.push({ key: `${key}:${target.platform}:${target.channelId}`, kind: 'digest', dueAt: moment.toJSDate(), scope: 'partnership', target, payload: () => buildDigest(this.ctx) });
    }
  }

  private async write(now: Date, candidates: Candidate[]): Promise<PlanResult['created']> {
    if (candidates.length === 0) return [];
    const byKey = new Map<string, Candidate>();
    for (const c of candidates) if (!byKey.has(c.key)) byKey.set(c.key, c);
    const unique = [...byKey.values()];
    // Most candidates of a tick were written by an earlier one: skip them before building their messages.
    const existing = new Set(
      (await this.ctx.db.outboxMessage.findMany({ where: { key: { in: unique.map((c) => c.key) } }, select: { key: true } })).map((r) => r.key),
    );
    const fresh: Planned[] = [];
    for (const c of unique) {
      if (!existing.has(c.key)) fresh.push({ ...c, payload: await c.payload(), late: now.getTime() - c.dueAt.getTime() > LATE_AFTER_MS });
    }
    const written = await insertOutboxRows(
      this.ctx.db,
      fresh.map((c) => ({
        partnershipId: this.ctx.partnership.id,
        key: c.key,
        kind: c.kind,
        dueAt: c.dueAt,
        late: c.late,
        personId: c.personId ?? null,
        scope: c.scope ?? null,
        actionNumber: c.actionNumber ?? null,
        ...(c.target ? { target: c.target } : {}),
        payload: c.payload,
        status: c.skipReason ? 'skipped' : 'pending',
        lastError: c.skipReason ?? null,
      })),
      now,
    );
    return fresh.filter((c) => written.has(c.key));
  }
}

/** Within the catch-up window: a moment a running bot would have acted on during a downtime. */
function recent(moment: Date, now: Date): boolean {
  return moment <= now && now.getTime() - moment.getTime() <= CATCH_UP_DAYS * 86_400_000;
}

function firstWorkingDay(month: string): string {
  let d = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

