// Changes made from chat: each in one transaction with its audit entry, and announced to the
// Action's channels.
import type { Prisma } from '@prisma/client';
import type { CommandContext } from '../core/context.ts';
import { recordAudit, type AuditInput } from './audit.ts';
import { context, reply, text, type Reply } from '../core/reply.ts';
import { actorLabel } from '../core/context.ts';

export async function change<T>(
  ctx: CommandContext,
  work: (tx: Prisma.TransactionClient) => Promise<{ result: T; audit: AuditInput }>,
): Promise<T> {
  return ctx.db.$transaction(async (tx) => {
    const { result, audit } = await work(tx);
    await recordAudit(ctx, audit, tx);
    return result;
  });
}

/** A confirmation to the asker, also announced in the Action's channels. */
export function announced(ctx: CommandContext, actionNumber: number, title: string, message: string): Reply {
  const body = [text(message), context(`by ${actorLabel(ctx.actor)} via ${ctx.actor.platform}`)];
  return reply(title, body, { announce: [{ scope: 'action', actionNumber, message: reply(title, body) }] });
}

/** A confirmation to the asker, also announced once in the partnership's channels. */
export function announcedToPartnership(ctx: CommandContext, title: string, message: string): Reply {
  const body = [text(message), context(`by ${actorLabel(ctx.actor)} via ${ctx.actor.platform}`)];
  return reply(title, body, { announce: [{ scope: 'partnership', message: reply(title, body) }] });
}
