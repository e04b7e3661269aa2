// Pictures and files: the Gantt chart, calendars (a download or a subscribable feed) and the
// monitoring table as Markdown or CSV.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { refuse } from '../src/core/permissions.ts';
import { buttons, context, link, reply, text, type Block } from '../src/core/reply.ts';
import { change } from '../src/domain/changes.ts';
import { requireAction } from '../src/domain/plan.ts';
import { calendarEvents, calendarName, type CalendarScope } from '../src/exports/calendar-events.ts';
import { feedPath, hashFeedToken, newFeedToken } from '../src/exports/feeds.ts';
import { ganttModel } from '../src/exports/gantt/model.ts';
import { svgToPng } from '../src/exports/gantt/png.ts';
import { renderGanttSvg } from '../src/exports/gantt/svg.ts';
import { buildCalendar } from '../src/exports/ics.ts';
import { monitoringRows, toCsv, toMarkdown } from '../src/exports/monitoring.ts';

const actionArg = z.string().describe('An Action, e.g. A1').meta({ complete: 'action' });
const scopeArg = z.string().describe('An Action (A1) or "mine"; everything when left out');
const monthArg = (what: string) => z.string().describe(`${what} month, e.g. 2025-01`);
const utf8 = (s: string) => new TextEncoder().encode(s);

export const gantt = defineCommand({
  name: 'gantt',
  summary: 'The timeline as a picture: quarters and months across, one row per Action and activity',
  help: 'Hatched bars with a dashed edge are tentative (tbc); the dashed orange line is today.',
  examples: ['gantt', 'gantt A2', 'gantt --from 2025-01 --to 2027-03', 'gantt A1 --steps'],
  args: z.object({
    action: actionArg.optional(),
    from: monthArg('First').optional(),
    to: monthArg('Last').optional(),
    steps: z.boolean().default(false).describe('Also draw the steps of each activity'),
  }),
  positional: ['action'],
  permission: 'anyone',
  async handler(ctx, args) {
    const actionNumber = args.action ? (await requireAction(ctx, args.action)).number : undefined;
    const model = await ganttModel(ctx.db, ctx.partnership, {
      ...(actionNumber ? { actionNumber } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      steps: args.steps,
      today: ctx.today(),
    });
    const { svg } = renderGanttSvg(model);
    const items = model.rows.filter((r) => r.kind !== 'action');
    const overdue = items.filter((r) => r.state === 'overdue').length;
    const month = (m: string) => DateTime.fromISO(`${m}-01`).toFormat('LLL yyyy');
    const name = actionNumber ? `A${actionNumber}` : 'all';
    return reply(
      `Timeline chart — ${actionNumber ? `A${actionNumber}` : 'all Actions'}`,
      [
        text(`${items.length} ${args.steps ? 'activities and steps' : 'activities'} from ${month(model.from)} to ${month(model.to)}; ${overdue} overdue.`),
        context('Hatched bars are tentative (tbc); the dashed orange line is today. Add --steps for the steps of each activity.'),
      ],
      { attachments: [{ filename: `gantt-${name}.png`, contentType: 'image/png', data: await svgToPng(svg) }] },
    );
  },
});

interface ResolvedScope extends CalendarScope {
  /** For a stored feed: what it follows. */
  actionId?: string;
  personId?: string;
  /** For file names and audit codes. */
  code: string;
}

async function resolveScope(ctx: CommandContext, scope: string | undefined): Promise<ResolvedScope> {
  if (!scope) return { code: 'all' };
  if (scope.toLowerCase() === 'mine') {
    if (!ctx.actor.person) throw new UserError('"mine" needs to know who you are.', 'Link your account first: link <code>');
    return { actionNumbers: ctx.roles.memberOf, label: `${ctx.actor.person.name}'s Actions`, personId: ctx.actor.person.id, code: 'mine' };
  }
  const action = await requireAction(ctx, scope);
  return { actionNumbers: [action.number], label: `A${action.number} ${action.shortTitle}`, actionId: action.id, code: `A${action.number}` };
}

export const calendar = defineCommand({
  name: 'calendar',
  summary: 'Plenaries, meetings, milestones and outputs as a calendar file (.ics)',
  help: 'Open the file to import the events once; for a calendar that stays up to date, use "calendar feed".',
  examples: ['calendar', 'calendar A3', 'calendar mine'],
  args: z.object({ scope: scopeArg.optional() }),
  positional: ['scope'],
  permission: 'anyone',
  async handler(ctx, { scope }) {
    const resolved = await resolveScope(ctx, scope);
    const events = await calendarEvents(ctx.db, ctx.partnership, resolved);
    const ics = buildCalendar({ name: calendarName(ctx.partnership, resolved), stamp: ctx.clock.now(), events });
    return reply(
      `Calendar — ${resolved.label ?? 'all Actions'}`,
      [
        text(`${events.length} events: plenaries, meetings, milestones and outputs. A window longer than a quarter is shown as the day it starts and the day it ends; items dated only to a year are left to "timeline".`),
        context('Tentative dates are marked as such. For a calendar that updates itself, type "calendar feed".'),
      ],
      { attachments: [{ filename: `${ctx.partnership.slug}-${resolved.code.toLowerCase()}.ics`, contentType: 'text/calendar', data: utf8(ics) }] },
    );
  },
});

export const calendarFeed = defineCommand({
  name: 'calendar feed',
  summary: 'A private link to subscribe to in Outlook, Google or Apple Calendar',
  help: 'The link is a secret: anyone who has it can read the calendar. It is shown only once.',
  examples: ['calendar feed', 'calendar feed A2', 'calendar feed mine'],
  args: z.object({ scope: scopeArg.optional() }),
  positional: ['scope'],
  permission: 'member',
  async handler(ctx, { scope }) {
    const resolved = await resolveScope(ctx, scope);
    const token = newFeedToken();
    const url = ctx.publicUrl + feedPath(token);
    await change(ctx, async (tx) => {
      const feed = await tx.calendarFeed.create({
        data: {
          partnershipId: ctx.partnership.id,
          tokenHash: hashFeedToken(token),
          createdById: ctx.actor.person!.id,
          ...(resolved.actionId ? { actionId: resolved.actionId } : {}),
          ...(resolved.personId ? { personId: resolved.personId } : {}),
        },
      });
      return { result: feed, audit: { entityType: 'calendar feed', entityId: feed.id, entityCode: resolved.code, verb: 'created' } };
    });
    return reply(
      `Calendar feed — ${resolved.label ?? 'all Actions'}`,
      [
        text('Subscribe to this address in your calendar app (Outlook: Add calendar → From internet; Google: Other calendars → From URL):'),
        text(link(url, url)),
        context('Keep it private: anyone with the link can read this calendar. It is shown only once. To turn it off, type "calendar feeds".'),
      ],
      { ephemeral: true },
    );
  },
});

/** The secretariat and the coordinators look after every feed; others only after their own. */
const seesAllFeeds = (ctx: CommandContext) => ctx.roles.secretariat || ctx.roles.coordinator;

async function feedLabel(ctx: CommandContext, feed: { actionId: string | null; personId: string | null }): Promise<string> {
  if (feed.actionId) {
    const action = await ctx.db.action.findUnique({ where: { id: feed.actionId }, select: { number: true, shortTitle: true } });
    return action ? `A${action.number} ${action.shortTitle}` : 'a removed Action';
  }
  if (feed.personId) {
    const person = await ctx.db.person.findUnique({ where: { id: feed.personId }, select: { name: true } });
    return `${person?.name ?? 'someone'}'s Actions`;
  }
  return 'all Actions';
}

export const calendarFeeds = defineCommand({
  name: 'calendar feeds',
  summary: 'Your calendar feeds that still work, each with a button to turn it off',
  help: 'The secretariat and the coordinators see every feed of the partnership.',
  examples: ['calendar feeds'],
  args: z.object({}),
  permission: 'member',
  async handler(ctx) {
    const all = seesAllFeeds(ctx);
    const feeds = await ctx.db.calendarFeed.findMany({
      where: { partnershipId: ctx.partnership.id, revokedAt: null, ...(all ? {} : { createdById: ctx.actor.person!.id }) },
      orderBy: { createdAt: 'asc' },
    });
    if (!feeds.length) return reply('Calendar feeds', [text(all ? 'No calendar feed is in use.' : 'You have no calendar feed.'), context('Type "calendar feed" to make one.')], { ephemeral: true });
    const owners = new Map(
      (await ctx.db.person.findMany({ where: { id: { in: feeds.flatMap((f) => (f.createdById ? [f.createdById] : [])) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
    );
    const blocks: Block[] = [];
    for (const feed of feeds) {
      const made = DateTime.fromJSDate(feed.createdAt, { zone: ctx.partnership.timeZone }).toFormat('d LLL yyyy');
      const by = all ? `, by ${feed.createdById ? (owners.get(feed.createdById) ?? 'a former member') : 'unknown'}` : '';
      blocks.push(text(`${await feedLabel(ctx, feed)} — made ${made}${by} (${feed.id})`));
      blocks.push(buttons({ label: 'Turn off', command: `calendar revoke ${feed.id}`, style: 'danger' }));
    }
    blocks.push(context('A feed that is turned off answers "not found"; calendar apps then stop showing its events.'));
    return reply(`Calendar feeds (${feeds.length})`, blocks, { ephemeral: true });
  },
});

export const calendarRevoke = defineCommand({
  name: 'calendar revoke',
  summary: 'Turn off a calendar feed, e.g. after its link was shared by mistake',
  help: 'Feeds are listed, with their ids, by "calendar feeds". You may turn off the feeds you made; the secretariat and the coordinators any feed.',
  examples: ['calendar revoke cmf0example0feed0id0000000'],
  args: z.object({ feed: z.string().min(1).max(64).describe('The feed id "calendar feeds" shows') }),
  positional: ['feed'],
  permission: 'member',
  async handler(ctx, { feed: id }) {
    const feed = await ctx.db.calendarFeed.findFirst({ where: { id, partnershipId: ctx.partnership.id } });
    if (!feed) throw new UserError(`There is no calendar feed "${id}".`, 'Type "calendar feeds" to see yours, with their ids.');
    if (feed.createdById !== ctx.actor.person!.id && !seesAllFeeds(ctx)) {
      await refuse(ctx, calendarRevoke, 'Only the person who made a calendar feed, the secretariat or the coordinators can turn it off.');
    }
    const label = await feedLabel(ctx, feed);
    if (feed.revokedAt) return reply('Already off', [text(`The calendar feed for ${label} was turned off already.`)], { ephemeral: true });
    await change(ctx, async (tx) => {
      await tx.calendarFeed.update({ where: { id: feed.id }, data: { revokedAt: ctx.clock.now() } });
      return { result: null, audit: { entityType: 'calendar feed', entityId: feed.id, entityCode: label, verb: 'revoked' } };
    });
    return reply(
      'Calendar feed turned off',
      [text(`The feed for ${label} now answers "not found"; calendar apps subscribed to it stop showing its events at their next refresh.`), context('Type "calendar feed" for a new link.')],
      { ephemeral: true },
    );
  },
});

export const monitoringExport = defineCommand({
  name: 'monitoring export',
  summary: 'The monitoring table as a Markdown or CSV file',
  examples: ['monitoring export', 'monitoring export --format csv'],
  args: z.object({ format: z.enum(['md', 'csv']).default('md').describe('md (Markdown) or csv (spreadsheets)') }),
  permission: 'anyone',
  async handler(ctx, { format }) {
    const today = ctx.today();
    const rows = await monitoringRows(ctx.db, ctx.partnership, today);
    const title = `Monitoring — ${ctx.partnership.name}, ${today}`;
    const file =
      format === 'csv'
        ? { filename: `monitoring-${today}.csv`, contentType: 'text/csv; charset=utf-8', data: utf8(toCsv(rows)) }
        : { filename: `monitoring-${today}.md`, contentType: 'text/markdown; charset=utf-8', data: utf8(toMarkdown(title, rows)) };
    return reply('Monitoring export', [text(`${rows.length} Actions as of ${today}.`)], { attachments: [file] });
  },
});

