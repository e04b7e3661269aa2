import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { context, divider, fields, list, reply, text } from '../src/core/reply.ts';
import { announced, change } from '../src/domain/changes.ts';
import { dateToIsoDay, describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { effectiveTiming } from '../src/domain/effective-window.ts';
import { activityProgress } from '../src/exports/monitoring.ts';
import {
  actionList,
  CO_LEADER_ROLES,
  coLeaderNames,
  deadlineOf,
  governanceText,
  inPlanOrder,
  itemLine,
  outputTiming,
  requireAction,
  STATUS_LABEL,
  whenOf,
} from '../src/domain/plan.ts';

const actionArg = z.string().describe('An Action, e.g. A1').meta({ complete: 'action' });

export const actions = defineCommand({
  name: 'actions',
  summary: 'List the Actions with their co-leaders and deadlines',
  examples: ['actions'],
  args: z.object({}),
  permission: 'anyone',
  async handler(ctx) {
    const rows = await actionList(ctx);
    if (rows.length === 0) return reply('Actions', [text('No Actions yet. Import a work plan with: partnerbot import <file.yaml>')]);
    return reply(`Actions of ${ctx.partnership.name}`, [
      list(rows.map((a) => `A${a.number} ${a.shortTitle}: ${a.title} — co-leaders ${coLeaderNames(a).join(' & ')} · deadline ${describeFuzzyDate(deadlineOf(a))}`)),
      context('Type "action A1" for one Action in detail.'),
    ]);
  },
});

export const action = defineCommand({
  name: 'action',
  summary: 'One Action: objective, co-leaders, next milestones, outputs, state of play',
  examples: ['action A1', 'action 3'],
  args: z.object({ id: actionArg }),
  positional: ['id'],
  permission: 'anyone',
  async handler(ctx, { id }) {
    const a = await requireAction(ctx, id);
    const today = ctx.today();
    const [activities, outputs, targets] = await Promise.all([
      ctx.db.activity.findMany({ where: { actionId: a.id } }),
      ctx.db.output.findMany({ where: { actionId: a.id }, orderBy: { seq: 'asc' } }),
      ctx.db.target.findMany({ where: { actionId: a.id } }),
    ]);
    const open = inPlanOrder(activities).filter((x) => !x.parentId && effectiveTiming(x, activities, today) !== 'closed');
    const next = open.filter((x) => ['overdue', 'current', 'upcoming'].includes(effectiveTiming(x, activities, today))).slice(0, 5);
    const members = a.roles.filter((r) => r.role === 'member').length;
    const blocks = [
      text(a.objective),
      fields([
        ['Co-leaders', coLeaderNames(a).join(', ')],
        ['Deadline', describeFuzzyDate(deadlineOf(a))],
        ['Governance levels', governanceText(a.governanceLevels)],
        ['Action group', `${members} member organisations (type "members A${a.number}")`],
      ]),
      list(
        next.length ? next.map((x) => itemLine(x.code, x.title, whenOf(x), x.status, effectiveTiming(x, activities, today))) : ['Nothing scheduled.'],
        'Next milestones',
      ),
      list(
        outputs.length
          ? outputs.map((o) => itemLine(o.code, o.title, whenOf(o), o.status, outputTiming(o, today)) + (o.link ? ` — ${o.link}` : ''))
          : ['No outputs yet.'],
        'Outputs',
      ),
      ...(targets.length ? [list(targets.map((t) => `${t.label}: ${t.currentValue} of ${t.targetValue}${t.unit ? ` ${t.unit}` : ''} (${t.key})`), 'Targets')] : []),
      divider(),
      fields([
        [
          'State of play',
          a.statePlay
            ? `${a.statePlay}${a.statePlaySetAt ? ` (${a.statePlaySetBy ?? 'someone'}, ${a.statePlaySetAt.toISOString().slice(0, 10)})` : ' (from the work plan)'}`
            : 'not set — co-leaders: status A' + a.number + ' "…"',
        ],
      ]),
    ];
    return reply(`A${a.number} ${a.shortTitle}: ${a.title}`, blocks);
  },
});

export const timeline = defineCommand({
  name: 'timeline',
  summary: 'Activities and steps with their dates, for one Action or all',
  examples: ['timeline', 'timeline A3'],
  args: z.object({ id: actionArg.optional() }),
  positional: ['id'],
  permission: 'anyone',
  async handler(ctx, { id }) {
    const today = ctx.today();
    const rows = id
      ? [await requireAction(ctx, id)]
      : await ctx.db.action.findMany({ where: { partnershipId: ctx.partnership.id }, orderBy: { number: 'asc' } });
    const blocks = [];
    for (const a of rows) {
      const activities = inPlanOrder(await ctx.db.activity.findMany({ where: { actionId: a.id } }));
      blocks.push(
        list(
          activities.map((x) => (x.parentId ? '   ' : '') + itemLine(x.code, x.title, whenOf(x), x.status, effectiveTiming(x, activities, today))),
          `A${a.number} ${a.shortTitle}`,
        ),
      );
    }
    return reply(id ? `Timeline of ${id.toUpperCase()}` : 'Timeline', blocks);
  },
});

export const monitoring = defineCommand({
  name: 'monitoring show',
  summary: 'The monitoring table (work plan section 4), live',
  examples: ['monitoring'],
  args: z.object({}),
  permission: 'anyone',
  async handler(ctx) {
    const today = ctx.today();
    const timing = { id: true, parentId: true, whenKind: true, whenStart: true, whenEnd: true, whenTentative: true, status: true } as const;
    const rows = await ctx.db.action.findMany({
      where: { partnershipId: ctx.partnership.id },
      select: {
        number: true,
        title: true,
        governanceLevels: true,
        statePlay: true,
        statePlaySetBy: true,
        statePlaySetAt: true,
        deadlineKind: true,
        deadlineStart: true,
        deadlineEnd: true,
        deadlineTentative: true,
        roles: CO_LEADER_ROLES,
        activities: { select: timing },
        outputs: { select: { status: true } },
      },
      orderBy: { number: 'asc' },
    });
    const blocks = rows.flatMap((a) => {
      const outputsByStatus = Object.entries(
        a.outputs.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {}),
      ).map(([s, n]) => `${n} ${STATUS_LABEL[s] ?? s}`);
      return [
        fields([
          ['Action', `A${a.number} ${a.title}`],
          ['Co-leaders', coLeaderNames(a).join(' and ')],
          ['Governance level', governanceText(a.governanceLevels)],
          ['Deadline', describeFuzzyDate(deadlineOf(a))],
          // Who last answered for the Action (a check-in, "status"), so a stale line shows its age.
          ['State of play', a.statePlay ? `${a.statePlay}${a.statePlaySetAt ? ` (updated by ${a.statePlaySetBy ?? 'someone'} on ${describeFuzzyDate({ kind: 'day', start: dateToIsoDay(a.statePlaySetAt), end: dateToIsoDay(a.statePlaySetAt), tentative: false })})` : ''}` : '—'],
          ['Progress', `${activityProgress(a.activities, today)}; outputs: ${outputsByStatus.join(', ') || 'none'}`],
        ]),
        divider(),
      ];
    });
    return reply('Monitoring', blocks.slice(0, -1));
  },
});

export const targetSet = defineCommand({
  name: 'target',
  summary: 'Update the current value of an Action\'s target',
  examples: ['target A3 departments 12'],
  args: z.object({
    action: actionArg,
    key: z.string().min(1).max(60).describe('The target key, as "action A3" lists it'),
    value: z.number().min(0).max(1e9).describe('The current value'),
  }),
  positional: ['action', 'key', 'value'],
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const a = await requireAction(ctx, args.action);
    const targets = await ctx.db.target.findMany({ where: { actionId: a.id } });
    const t = targets.find((x) => x.key === args.key.toLowerCase());
    if (!t) throw new UserError(`A${a.number} has no target "${args.key}".`, targets.length ? `Its targets: ${targets.map((x) => x.key).join(', ')}.` : `A${a.number} has no targets.`);
    await change(ctx, async (tx) => {
      await tx.target.update({ where: { id: t.id }, data: { currentValue: args.value } });
      return { result: null, audit: { entityType: 'target', entityId: t.id, entityCode: `A${a.number}`, verb: 'target', before: { [t.key]: t.currentValue }, after: { [t.key]: args.value } } };
    });
    return announced(ctx, a.number, `A${a.number} target updated`, `${t.label}: ${args.value} of ${t.targetValue}${t.unit ? ` ${t.unit}` : ''}`);
  },
});
