// Every change records who, what, before/after, when and through which platform.
import type { Prisma } from '@prisma/client';
import { actorLabel, type CommandContext } from '../core/context.ts';
import type { Db } from '../persistence/database.ts';

export interface AuditInput {
  entityType: string;
  entityId: string;
  entityCode: string;
  verb: string;
  before?: unknown;
  after?: unknown;
}

type Writer = Pick<Db, 'auditEntry'>;

export async function recordAudit(ctx: CommandContext, entry: AuditInput, tx: Writer = ctx.db): Promise<void> {
  await tx.auditEntry.create({
    data: {
      partnershipId: ctx.partnership.id,
      at: ctx.clock.now(),
      actorId: ctx.actor.person?.id ?? null,
      actorLabel: actorLabel(ctx.actor),
      platform: ctx.actor.platform,
      entityType: entry.entityType,
      entityId: entry.entityId,
      entityCode: entry.entityCode,
      verb: entry.verb,
      ...(entry.before !== undefined ? { before: entry.before as Prisma.InputJsonValue } : {}),
      ...(entry.after !== undefined ? { after: entry.after as Prisma.InputJsonValue } : {}),
    },
  });
}
