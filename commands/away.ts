// Leave: "away 2025-12-20..2026-01-06 --delegate NAME" for oneself, "away off" on return; the
// secretariat may say it for someone else with --for. While someone is away their nudges go to the
// delegate, else to a colleague of their organisation, else wait for their return (planner.ts).
import { z } from 'zod';
import type { Person } from '@prisma/client';
import { localDay } from '../src/core/clock.ts';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { refuse } from '../src/core/permissions.ts';
import { context, list, reply, text } from '../src/core/reply.ts';
import { absencesBetween, awayText } from '../src/domain/absences.ts';
import { change } from '../src/domain/changes.ts';
import { addDays, daysUntil, describeFuzzyDate, isoDayToDate } from '../src/domain/fuzzy-date.ts';
import { findPerson } from '../src/domain/roster.ts';
import { userDate } from './milestones.ts';

/** Leave longer than this is a typo ("2026" for "2026-01"), or no longer leave but leaving. */
const MAX_DAYS = 366;
const LISTED_DAYS = 30;

async function whoIsAway(ctx: CommandContext, forName: string | undefined): Promise<Person> {
  if (!forName) return ctx.actor.person!;
  const person = await findPerson(ctx, forName);
  if (person.id !== ctx.actor.person!.id && !ctx.roles.secretariat && !ctx.roles.coordinator) {
    await refuse(ctx, away, 'Only the secretariat or the coordinators can set leave for someone else.', 'For yourself, leave out --for.');
  }
  return person;
}

export const away = defineCommand({
  name: 'away',
  summary: 'Say you are on leave (and who stands in), or that you are back; alone, who is away',
  help: 'While you are away nobody nudges you: reminders go to your delegate, else to a colleague of your organisation, else wait for your return. Dates as everywhere: 2025-12-20..2026-01-06, 2026-08, "next week".',
  examples: ['away 2025-12-20..2026-01-06 --delegate "Jan Novak"', 'away off', 'away 2026-08 --for demo-warsaw', 'away'],
  args: z.object({
    when: z.string().max(60).optional().describe('The days away, e.g. 2025-12-20..2026-01-06, or "off" when back'),
    delegate: z.string().min(2).max(120).optional().describe('Who receives your reminders meanwhile').meta({ complete: 'person' }),
    for: z.string().min(2).max(120).optional().describe('Someone else (secretariat)').meta({ complete: 'person' }),
  }),
  positional: ['when'],
  restPositional: true,
  permission: 'member',
  async handler(ctx, args) {
    if (args.when === undefined) {
      const today = ctx.today();
      if (args.delegate || args.for) throw new UserError('Give the days away.', 'e.g. away 2025-12-20..2026-01-06 --delegate "Jan Novak"');
      const upcoming = await absencesBetween(ctx.db, ctx.partnership.id, today, addDays(today, LISTED_DAYS));
      return reply(`Away in the next ${LISTED_DAYS} days`, [
        list(upcoming.length ? upcoming.map((a) => `${a.personName} — ${awayText(a, ctx)}`) : ['Nobody.']),
        context('Say you are away with: away 2025-12-20..2026-01-06 --delegate <name>'),
      ]);
    }
    const person = await whoIsAway(ctx, args.for);
    // Leave days are theirs: "today" is the day it is where they are.
    const today = localDay(ctx.clock.now(), person.timeZone ?? ctx.partnership.timeZone);
    const mine = (await absencesBetween(ctx.db, ctx.partnership.id, today, '9999-12-31')).filter((a) => a.personId === person.id);
    const yourself = person.id === ctx.actor.person!.id;
    const who = yourself ? 'You are' : `${person.name} is`;

    if (args.when.trim().toLowerCase() === 'off') {
      if (args.delegate) throw new UserError('"away off" takes no --delegate.');
      if (!mine.length) return reply(undefined, [text(`${who} not marked away; nothing changed.`)], { ephemeral: true });
      await change(ctx, async (tx) => {
        // Leave that has begun ends yesterday (the days taken stay true); leave still ahead is dropped.
        for (const a of mine) {
          if (a.firstDay < today) await tx.absence.update({ where: { id: a.id }, data: { lastDay: isoDayToDate(addDays(today, -1)) } });
          else await tx.absence.delete({ where: { id: a.id } });
        }
        return { result: null, audit: { entityType: 'person', entityId: person.id, entityCode: person.key, verb: 'changed', before: { away: mine.map((a) => awayText(a, ctx)).join('; ') }, after: { away: 'back' } } };
      });
      return reply(yourself ? 'Welcome back' : `${person.name} is back`, [text(`${who} no longer marked away; reminders go to ${yourself ? 'you' : 'them'} again from the next tick.`)]);
    }

    const when = userDate(ctx, args.when);
    if (!when.start || !when.end) throw new UserError(`"${args.when}" has no days.`, 'e.g. away 2025-12-20..2026-01-06');
    if (when.end < today) throw new UserError(`${describeFuzzyDate(when)} is over already.`, 'Give days from today on.');
    if (daysUntil(when.end, when.start) + 1 > MAX_DAYS) throw new UserError(`${describeFuzzyDate(when)} is longer than a year.`, 'Give the days of the leave, e.g. 2026-08 or 2026-07-15..2026-08-31.');
    const firstDay = when.start < today ? today : when.start;
    const delegate = args.delegate ? await findPerson(ctx, args.delegate) : null;
    if (delegate?.id === person.id) throw new UserError(`${person.name} cannot stand in for ${yourself ? 'yourself' : 'themselves'}.`);
    const delegateAway = delegate ? (await absencesBetween(ctx.db, ctx.partnership.id, firstDay, when.end)).find((a) => a.personId === delegate.id) : undefined;
    // New leave replaces what it overlaps: typing the corrected days is how leave is changed.
    const replaced = mine.filter((a) => a.firstDay <= when.end! && a.lastDay >= firstDay);
    const created = await change(ctx, async (tx) => {
      await tx.absence.deleteMany({ where: { id: { in: replaced.map((a) => a.id) } } });
      const row = await tx.absence.create({
        data: { partnershipId: ctx.partnership.id, personId: person.id, firstDay: isoDayToDate(firstDay), lastDay: isoDayToDate(when.end!), delegateId: delegate?.id ?? null, createdById: ctx.actor.person!.id },
      });
      const absence = { id: row.id, personId: person.id, personName: person.name, organisationId: person.organisationId, timeZone: person.timeZone, firstDay, lastDay: when.end!, delegate: delegate ? { id: delegate.id, name: delegate.name } : null };
      return {
        result: absence,
        audit: {
          entityType: 'person',
          entityId: person.id,
          entityCode: person.key,
          verb: 'changed',
          ...(replaced.length ? { before: { away: replaced.map((a) => awayText(a, ctx)).join('; ') } } : {}),
          after: { away: awayText(absence, ctx) },
        },
      };
    });
    const standIn = delegate ? `${delegate.name} receives ${yourself ? 'your' : 'their'} reminders meanwhile` : `reminders go to a colleague of ${yourself ? 'your' : 'their'} organisation meanwhile, or wait for ${yourself ? 'your' : 'their'} return`;
    return reply(yourself ? 'Marked away' : `${person.name} marked away`, [
      text(`${who} ${awayText(created, ctx).replace(/ \(delegate: .*\)$/, '')}: ${standIn}.`),
      ...(delegateAway ? [context(`Note: ${delegate!.name} is ${awayText(delegateAway, ctx)} too.`)] : []),
      ...(replaced.length ? [context(`This replaces: ${replaced.map((a) => awayText(a, ctx)).join('; ')}.`)] : []),
    ]);
  },
});
