import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { context, reply, text } from '../src/core/reply.ts';
import { change } from '../src/domain/changes.ts';
import { requireAction } from '../src/domain/plan.ts';

export const channelBind = defineCommand({
  name: 'channel bind',
  summary: 'Bind this channel to an Action, the partnership or the secretariat',
  help: 'Announcements, nudges and agendas for that scope are posted here.',
  examples: ['channel bind A2', 'channel bind partnership', 'channel bind secretariat'],
  args: z.object({ scope: z.string().describe('A1..A4, partnership or secretariat').meta({ complete: 'action' }) }),
  positional: ['scope'],
  permission: 'secretariat',
  async handler(ctx, { scope }) {
    if (!ctx.channelId) throw new UserError('Run this in the channel you want to bind.', 'The shell has no channels.');
    const lower = scope.toLowerCase();
    const action = lower === 'partnership' || lower === 'secretariat' ? null : await requireAction(ctx, scope);
    const kind = action ? 'action' : (lower as 'partnership' | 'secretariat');
    const { platform, workspaceId } = ctx.actor;
    const channelId = ctx.channelId;
    await change(ctx, async (tx) => {
      await tx.workspaceBinding.upsert({
        where: { platform_workspaceId: { platform, workspaceId } },
        create: { platform, workspaceId, partnershipId: ctx.partnership.id },
        update: {},
      });
      const row = await tx.channelBinding.upsert({
        where: { platform_workspaceId_channelId: { platform, workspaceId, channelId } },
        create: { partnershipId: ctx.partnership.id, platform, workspaceId, channelId, scope: kind, actionId: action?.id ?? null, boundBy: ctx.actor.person?.name ?? null },
        update: { partnershipId: ctx.partnership.id, scope: kind, actionId: action?.id ?? null, boundBy: ctx.actor.person?.name ?? null },
      });
      return { result: row, audit: { entityType: 'channel', entityId: row.id, entityCode: action ? `A${action.number}` : kind, verb: 'bound', after: { platform, channelId } } };
    });
    const what = action ? `A${action.number} ${action.shortTitle}` : `the ${kind}`;
    return reply('Channel bound', [text(`This channel now belongs to ${what}.`), context('Changes, reminders and agendas for it will be posted here.')]);
  },
});
