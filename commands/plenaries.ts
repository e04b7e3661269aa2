// Plenaries from chat: show one, set its date, time, length, format, venue and link, confirm it,
// cancel it, add one. Every change is audited and announced once to the partnership's channels; the
// scheduler's notices follow the stored date by themselves (planner.ts keys them by the day).
import { z } from 'zod';
import type { Meeting, MeetingFormat, Prisma } from '@prisma/client';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { context, fields, list, reply, text } from '../src/core/reply.ts';
import { announcedToPartnership, change } from '../src/domain/changes.ts';
import { describeFuzzyDate, type FuzzyDate } from '../src/domain/fuzzy-date.ts';
import { meetingCode } from '../src/domain/ids.ts';
import { DEFAULT_MEETING_MINUTES, describeDuration, instantOn, parseDuration, parseTimeOfDay, timeOfDay } from '../src/domain/meeting-time.ts';
import { describeMeetingTime, findItem, nextPlenary, whenOf } from '../src/domain/plan.ts';
import { checkPartnershipDate } from '../src/domain/plan-life.ts';
import { whenColumnsFor } from '../src/workplan/columns.ts';
import { FORMAT, meetingLine } from './meetings.ts';
import { userDate } from './milestones.ts';

const plenaryCode = z.string().describe('The plenary, e.g. P5').meta({ complete: 'meeting' });
const FORMAT_WORDS = ['online', 'in-person', 'hybrid'] as const;
const formatColumn = (word: (typeof FORMAT_WORDS)[number]): MeetingFormat => (word === 'in-person' ? 'in_person' : word);
const TITLE: Record<MeetingFormat, string> = { online: 'Online plenary', in_person: 'In-person plenary', hybrid: 'Hybrid plenary' };
/** "none" (or nothing) clears a venue or link. */
const cleared = (value: string) => value.trim() === '' || value.trim().toLowerCase() === 'none';

/** Updates a plenary and audits the change, in one transaction. */
function updatePlenary(ctx: CommandContext, m: Meeting, data: Prisma.MeetingUpdateInput, before: unknown, after: unknown): Promise<null> {
  return change(ctx, async (tx) => {
    await tx.meeting.update({ where: { id: m.id }, data });
    return { result: null, audit: { entityType: 'meeting', entityId: m.id, entityCode: m.code, verb: 'changed', before, after } };
  });
}

async function requirePlenary(ctx: CommandContext, code: string): Promise<Meeting> {
  const found = await findItem(ctx, code);
  if (found.type !== 'meeting' || found.item.kind !== 'plenary') throw new UserError(`${code.toUpperCase()} is not a plenary.`, 'Plenaries are P1, P2, ...; type "plenary list".');
  return found.item;
}

function requireOpen(m: Meeting): void {
  if (m.cancelledAt) throw new UserError(`${m.code} is cancelled.`, `Reinstate it first with: plenary confirm ${m.code}`);
}

function plenaryWhen(ctx: CommandContext, input: string): FuzzyDate {
  const when = userDate(ctx, input);
  if (when.kind === 'unknown' || when.kind === 'year') throw new UserError(`A plenary needs at least a month, not "${input}".`, 'e.g. 2026-03, 2026-03-10 or 2026-03-10..2026-03-11, each optionally followed by tbc');
  return when;
}

/** One plenary in full: when, how long, format, venue, link, status, agenda. */
async function plenaryReply(ctx: CommandContext, m: Meeting, title: string) {
  const count = await ctx.db.agendaItem.count({ where: { meetingId: m.id } });
  const status = m.cancelledAt ? `cancelled${m.cancelReason ? `: ${m.cancelReason}` : ''}` : m.whenTentative ? 'to be confirmed (tbc)' : 'confirmed';
  return reply(title, [
    text(meetingLine(m)),
    fields([
      ['When', describeMeetingTime(m, ctx.partnership.timeZone)],
      ...(m.startsAt ? [['Duration', describeDuration(m.durationMinutes ?? DEFAULT_MEETING_MINUTES)] as [string, string]] : []),
      ['Format', m.format ? FORMAT[m.format]! : 'to be decided'],
      ...(m.location ? [['Venue', m.location] as [string, string]] : []),
      ...(m.link ? [['Link', m.link] as [string, string]] : []),
      ['Status', status],
      ['Agenda', `${count} item${count === 1 ? '' : 's'}${m.agendaFrozen ? ' (frozen)' : ''} — type "agenda --plenary ${m.code}"`],
    ]),
    ...(m.notes ? [context(m.notes)] : []),
  ]);
}

export const plenary = defineCommand({
  name: 'plenary',
  summary: 'The next plenary, one plenary (P5), or the list of all plenaries',
  examples: ['plenary', 'plenary P5', 'plenary list'],
  args: z.object({
    which: z
      .string()
      .regex(/^(next|list|[pP]\d{1,3})$/, 'next, list or a plenary such as P5')
      .default('next')
      .describe('next (default), list, or a plenary such as P5')
      .meta({ complete: 'meeting' }),
  }),
  positional: ['which'],
  permission: 'anyone',
  async handler(ctx, { which }) {
    if (which === 'list') {
      const all = await ctx.db.meeting.findMany({ where: { partnershipId: ctx.partnership.id, kind: 'plenary' }, orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }] });
      const today = ctx.today();
      return reply('Plenaries', [list(all.map((m) => `${meetingLine(m)}${!m.cancelledAt && m.whenEnd && m.whenEnd.toISOString().slice(0, 10) < today ? ' · past' : ''}`))]);
    }
    if (which !== 'next') return plenaryReply(ctx, await requirePlenary(ctx, which), `Plenary ${which.toUpperCase()}`);
    const m = await nextPlenary(ctx);
    if (!m) return reply('Next plenary', [text('No plenary is planned from today on.')]);
    return plenaryReply(ctx, m, `Next plenary: ${m.code}`);
  },
});

export const plenarySet = defineCommand({
  name: 'plenary set',
  summary: 'Set a plenary\'s date, time, length, format, venue or link (secretariat)',
  help: 'A plenary still to be confirmed stays "tbc" on its new date until "plenary confirm"; a time of day needs a single day, and moves with it.',
  examples: ['plenary set P5 --date 2025-12-10 --time 10:00 --duration 2h', 'plenary set P6 --format in-person --venue "Brussels, CoR JDE 52"', 'plenary set P5 --link https://meet.example.org/p5'],
  args: z.object({
    plenary: plenaryCode,
    date: z.string().optional().describe('The day or window, e.g. 2025-12-10 or 2026-03 tbc'),
    time: z.string().optional().describe('Start time in the partnership\'s time zone, e.g. 10:00'),
    duration: z.string().optional().describe('How long, e.g. 2h, 90m, 1h30'),
    format: z.enum(FORMAT_WORDS).optional().describe('online, in-person or hybrid'),
    venue: z.string().max(200).optional().describe('Where it takes place ("none" clears it)'),
    link: z.string().max(500).optional().describe('The meeting link ("none" clears it)'),
  }),
  positional: ['plenary'],
  permission: 'secretariat',
  async handler(ctx, args) {
    const m = await requirePlenary(ctx, args.plenary);
    requireOpen(m);
    if ([args.date, args.time, args.duration, args.format, args.venue, args.link].every((v) => v === undefined)) {
      throw new UserError('Say what to change.', 'e.g. plenary set P5 --date 2025-12-10 --time 10:00 (also --duration, --format, --venue, --link)');
    }
    const zone = ctx.partnership.timeZone;
    // A new day for a plenary still to be confirmed stays tbc until "plenary confirm".
    const typed = args.date !== undefined ? plenaryWhen(ctx, args.date) : null;
    const when = typed ? { ...typed, tentative: typed.tentative || m.whenTentative } : whenOf(m);
    if (args.date !== undefined) await checkPartnershipDate(ctx, when);
    const time = args.time !== undefined ? parseTimeOfDay(args.time) : m.startsAt ? timeOfDay(m.startsAt, zone) : null;
    if (args.time !== undefined && when.kind !== 'day') {
      throw new UserError(`A start time needs a single day, and ${m.code} is ${describeFuzzyDate(when)}.`, `Give the day too: plenary set ${m.code} --date 2025-12-10 --time ${args.time}`);
    }
    // A time kept from before follows the plenary to its new day; a window has no time of day.
    const startsAt = time && when.kind === 'day' ? instantOn(when.start!, time, zone) : null;
    const link = args.link === undefined ? m.link : cleared(args.link) ? null : args.link.trim();
    if (link && !/^https?:\/\/[^\s"<>\\]+$/.test(link)) throw new UserError(`"${args.link}" is not a web link.`, 'Use a full address, e.g. https://meet.example.org/p5');
    const format = args.format ? formatColumn(args.format) : m.format;
    const next = {
      ...whenColumnsFor(when),
      startsAt,
      durationMinutes: args.duration !== undefined ? parseDuration(args.duration) : m.durationMinutes,
      format,
      // "Online plenary" turned hybrid is a "Hybrid plenary"; a title of its own stays.
      title: format && m.format && m.title === TITLE[m.format] ? TITLE[format] : m.title,
      location: args.venue === undefined ? m.location : cleared(args.venue) ? null : args.venue.trim(),
      link,
    };
    const updated: Meeting = { ...m, ...next };
    const shown = (x: Meeting) => ({
      when: describeMeetingTime(x, zone),
      duration: x.startsAt ? describeDuration(x.durationMinutes ?? DEFAULT_MEETING_MINUTES) : x.durationMinutes ? describeDuration(x.durationMinutes) : '—',
      format: x.format ? FORMAT[x.format]! : 'to be decided',
      venue: x.location ?? '—',
      link: x.link ?? '—',
    });
    const before = shown(m);
    const after = shown(updated);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return reply(undefined, [text(`${m.code} already is like that; nothing changed.`)], { ephemeral: true });
    await updatePlenary(
      ctx,
      m,
      next,
      Object.fromEntries(changed.map((k) => [k, before[k]])),
      Object.fromEntries(changed.map((k) => [k, after[k]])),
    );
    const dropped = m.startsAt && !startsAt ? ` The start time was dropped: ${describeFuzzyDate(when)} is not a single day.` : '';
    return announcedToPartnership(ctx, `${m.code} ${m.title} changed`, `${changed.map((k) => `${k}: ${before[k]} → ${after[k]}`).join('; ')}.${dropped}`);
  },
});

export const plenaryConfirm = defineCommand({
  name: 'plenary confirm',
  summary: 'Confirm a plenary\'s date (drops "tbc"), or reinstate a cancelled one (secretariat)',
  examples: ['plenary confirm P5'],
  args: z.object({ plenary: plenaryCode }),
  positional: ['plenary'],
  permission: 'secretariat',
  async handler(ctx, args) {
    const m = await requirePlenary(ctx, args.plenary);
    if (!m.whenTentative && !m.cancelledAt) return reply(undefined, [text(`${m.code} is already confirmed; nothing changed.`)], { ephemeral: true });
    if (m.whenKind === 'unknown') throw new UserError(`${m.code} has no date to confirm.`, `Set one first: plenary set ${m.code} --date 2026-03-10`);
    const reinstated = Boolean(m.cancelledAt);
    await updatePlenary(
      ctx,
      m,
      { whenTentative: false, whenText: whenColumnsFor({ ...whenOf(m), tentative: false }).whenText, cancelledAt: null, cancelReason: null },
      { status: reinstated ? `cancelled${m.cancelReason ? `: ${m.cancelReason}` : ''}` : 'tbc' },
      { status: 'confirmed' },
    );
    const when = describeMeetingTime({ ...m, whenTentative: false }, ctx.partnership.timeZone);
    return announcedToPartnership(ctx, `${m.code} ${m.title} ${reinstated ? 'reinstated' : 'confirmed'}`, `${m.code} ${m.title} takes place ${when}.`);
  },
});

export const plenaryCancel = defineCommand({
  name: 'plenary cancel',
  summary: 'Cancel a plenary, saying why (secretariat)',
  examples: ['plenary cancel P5 "Merged with P6 in January"'],
  args: z.object({ plenary: plenaryCode, reason: z.string().min(3).max(300).describe('Why it is cancelled') }),
  positional: ['plenary', 'reason'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const m = await requirePlenary(ctx, args.plenary);
    if (m.cancelledAt) return reply(undefined, [text(`${m.code} is already cancelled; nothing changed.`)], { ephemeral: true });
    await updatePlenary(ctx, m, { cancelledAt: ctx.clock.now(), cancelReason: args.reason }, { status: 'planned' }, { status: `cancelled: ${args.reason}` });
    return announcedToPartnership(ctx, `${m.code} ${m.title} cancelled`, `${m.code} ${m.title} (${describeMeetingTime(m, ctx.partnership.timeZone)}) is cancelled: ${args.reason}`);
  },
});

export const plenaryAdd = defineCommand({
  name: 'plenary add',
  summary: 'Add a plenary with its date and format (secretariat)',
  examples: ['plenary add 2027-03 in-person --venue "Brussels, CoR JDE 52"', 'plenary add "2026-09 tbc" online'],
  args: z.object({
    date: z.string().describe('When, e.g. 2027-03, 2027-03-16 or 2027-03 tbc'),
    format: z.enum(FORMAT_WORDS).describe('online, in-person or hybrid'),
    venue: z.string().min(2).max(200).optional().describe('Where it takes place'),
    title: z.string().min(3).max(200).optional().describe('Its name (default: "In-person plenary" etc.)'),
  }),
  positional: ['date', 'format'],
  permission: 'secretariat',
  async handler(ctx, args) {
    const when = plenaryWhen(ctx, args.date);
    await checkPartnershipDate(ctx, when);
    const format = formatColumn(args.format);
    const title = args.title ?? TITLE[format];
    const created = await change(ctx, async (tx) => {
      const last = await tx.meeting.aggregate({ where: { partnershipId: ctx.partnership.id, kind: 'plenary' }, _max: { seq: true } });
      const seq = (last._max.seq ?? 0) + 1;
      const row = await tx.meeting.create({
        data: { partnershipId: ctx.partnership.id, kind: 'plenary', seq, code: meetingCode('plenary', seq), title, format, ...whenColumnsFor(when), location: args.venue ?? null, createdInChat: true },
      });
      return { result: row, audit: { entityType: 'meeting', entityId: row.id, entityCode: row.code, verb: 'added', after: { title, when: describeFuzzyDate(when), format: FORMAT[format]! } } };
    });
    return announcedToPartnership(ctx, `Added ${created.code}`, meetingLine(created));
  },
});
