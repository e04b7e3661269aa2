import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { list, reply, text } from '../src/core/reply.ts';
import { auditDelta } from '../src/domain/audit-words.ts';
import { findItem } from '../src/domain/plan.ts';

export const history = defineCommand({
  name: 'history',
  summary: 'Who changed what on an item, and when',
  examples: ['history A1.2', 'history A2.O1', 'history A3', 'history P6'],
  args: z.object({
    id: z.string().describe('An Action, activity, output or meeting id').meta({ complete: 'item' }),
    limit: z.number().int().min(1).max(100).default(20).describe('How many entries (default 20)'),
  }),
  positional: ['id'],
  permission: 'anyone',
  async handler(ctx, { id, limit }) {
    const found = await findItem(ctx, id);
    const code = found.type === 'action' ? `A${found.action.number}` : found.item.code;
    const entries = await ctx.db.auditEntry.findMany({
      where: { partnershipId: ctx.partnership.id, entityCode: code, verb: { not: 'refused' } },
      orderBy: { at: 'desc' },
      take: limit,
    });
    if (!entries.length) return reply(`History of ${code}`, [text('No changes since the work plan was imported.')]);
    return reply(`History of ${code}`, [
      list(
        entries.map((e) => {
          const delta = auditDelta(e);
          return `${e.at.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${e.actorLabel} (${e.platform}) ${e.verb}${delta ? `: ${delta}` : ''}`;
        }),
      ),
    ]);
  },
});
