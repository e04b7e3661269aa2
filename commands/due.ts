import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { context, list, reply, text } from '../src/core/reply.ts';
import { dueItems, type DueBucket } from '../src/domain/due.ts';
import { describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { parseActionRef } from '../src/domain/ids.ts';
import { STATUS_LABEL } from '../src/domain/plan.ts';

const TITLES: Record<DueBucket, string> = {
  overdue: 'Overdue',
  due: 'Falls due',
  starting: 'Starts',
  ongoing: 'Running now',
};

export const due = defineCommand({
  name: 'due',
  summary: 'What is overdue, what falls due or starts soon, and what is running now',
  examples: ['due', 'due --days 60', 'due --action A3', 'due --mine'],
  args: z.object({
    days: z.number().int().min(1).max(366).default(30).describe('How many days ahead to look (default 30)'),
    action: z.string().optional().describe('Only this Action, e.g. A2').meta({ complete: 'action' }),
    mine: z.boolean().default(false).describe('Only the Actions I lead or belong to'),
  }),
  permission: 'anyone',
  async handler(ctx, { days, action, mine }) {
    let actionNumbers: number[] | undefined;
    if (action) actionNumbers = [parseActionRef(action)];
    if (mine) {
      if (!ctx.actor.person) throw new UserError('"--mine" needs to know who you are.', 'Link your account first: link <code>');
      actionNumbers = ctx.roles.memberOf.filter((n) => !actionNumbers || actionNumbers.includes(n));
    }
    const items = await dueItems(ctx, { days, ...(actionNumbers ? { actionNumbers } : {}) });
    const horizon = `the next ${days} days`;
    if (items.length === 0) return reply(`Due in ${horizon}`, [text('Nothing is overdue or due. 🎉')]);
    const blocks = (Object.keys(TITLES) as DueBucket[])
      .map((bucket) => {
        const rows = items.filter((i) => i.bucket === bucket);
        if (!rows.length) return null;
        return list(
          rows.map((i) => `${i.code} ${i.title} — ${describeFuzzyDate(i.when)} · ${STATUS_LABEL[i.status] ?? i.status}${i.kind === 'output' ? ' · output' : ''}`),
          `${TITLES[bucket]} (${rows.length})`,
        );
      })
      .filter((b) => b !== null);
    return reply(`Due as of ${ctx.today()} (${horizon})`, [
      ...blocks,
      context('Mark one done with "milestone done A1.2"; move it with "milestone move A1.2 2026-03".'),
    ]);
  },
});
