import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { count } from '../src/core/count.ts';
import { UserError } from '../src/core/errors.ts';
import { context, list, reply, text, type Block } from '../src/core/reply.ts';
import { dueItems, type DueBucket, type DueItem } from '../src/domain/due.ts';
import { runsOnNote } from '../src/domain/effective-window.ts';
import { describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { myWork, type MyWork } from '../src/domain/my-work.ts';
import { requireAction, STATUS_LABEL } from '../src/domain/plan.ts';

const TITLES: Record<DueBucket, string> = {
  overdue: 'Overdue',
  due: 'Falls due',
  starting: 'Starts',
  ongoing: 'Running now',
};

export function dueLine(i: DueItem): string {
  const steps =
    (i.stepsUntil ? `, steps until ${describeFuzzyDate({ kind: 'day', start: i.stepsUntil, end: i.stepsUntil, tentative: false })}` : '') +
    (i.runsOn ? `; ${runsOnNote(i.runsOn)}` : '');
  return `${i.code} ${i.title} — ${describeFuzzyDate(i.when)}${steps} · ${STATUS_LABEL[i.status] ?? i.status}${i.kind === 'output' ? ' · output' : ''}`;
}

function bucketBlocks(items: DueItem[]): Block[] {
  return (Object.keys(TITLES) as DueBucket[]).flatMap((bucket) => {
    const rows = items.filter((i) => i.bucket === bucket);
    return rows.length ? [list(rows.map(dueLine), `${TITLES[bucket]} (${rows.length})`)] : [];
  });
}

/** The secretariat's own work besides items: agendas to freeze and notifications nobody received. */
export function runningBlocks(work: MyWork): Block[] {
  const blocks: Block[] = [];
  if (work.agendas.length) {
    blocks.push(
      list(
        work.agendas.map((a) => `${a.code} ${a.title} — ${describeFuzzyDate(a.when)}: ${count(a.items, 'item')}, agenda open; freeze by ${a.freezeBy} ("agenda freeze --plenary ${a.code}")`),
        `Agendas to freeze (${work.agendas.length})`,
      ),
    );
  }
  if (work.failedNotifications) {
    blocks.push(list([`${count(work.failedNotifications, 'notification')} not delivered — "notify outbox --failed" lists them, "--retry" resends`], 'Failed notifications'));
  }
  return blocks;
}

export const due = defineCommand({
  name: 'due',
  summary: 'What is overdue, what falls due or starts soon, and what is running now',
  help: 'With --mine: the items of the Actions you lead or belong to; for the secretariat and coordinators, the whole partnership, the agendas to freeze and the failed notifications.',
  examples: ['due', 'due --days 60', 'due --action A3', 'due --mine'],
  args: z.object({
    days: z.number().int().min(1).max(366).default(30).describe('How many days ahead to look (default 30)'),
    action: z.string().optional().describe('Only this Action, e.g. A2').meta({ complete: 'action' }),
    mine: z.boolean().default(false).describe('What I act on: my Actions (the secretariat: the whole partnership)'),
  }),
  permission: 'anyone',
  async handler(ctx, { days, action, mine }) {
    const actionNumbers = action ? [(await requireAction(ctx, action)).number] : undefined;
    const horizon = `the next ${count(days, 'day')}`;
    if (mine) {
      if (!ctx.actor.person) throw new UserError('"--mine" needs to know who you are.', 'Link your account first: link <code>');
      const work = await myWork(ctx, days, actionNumbers);
      const whose = work.scope === 'partnership' ? 'the whole partnership' : work.scope.length ? work.scope.map((n) => `A${n}`).join(', ') : 'no Action';
      const blocks = [...bucketBlocks(work.items), ...runningBlocks(work)];
      if (!blocks.length) return reply(`Due for you in ${horizon} (${whose})`, [text('Nothing is overdue or due. 🎉')]);
      return reply(`Due for you as of ${ctx.today()} (${horizon}; ${whose})`, [...blocks, context('Mark one done with "milestone done A1.2"; move it with "milestone move A1.2 2026-03".')]);
    }
    const items = await dueItems(ctx, { days, ...(actionNumbers ? { actionNumbers } : {}) });
    if (items.length === 0) return reply(`Due in ${horizon}`, [text('Nothing is overdue or due. 🎉')]);
    return reply(`Due as of ${ctx.today()} (${horizon})`, [
      ...bucketBlocks(items),
      context('Mark one done with "milestone done A1.2"; move it with "milestone move A1.2 2026-03".'),
    ]);
  },
});
