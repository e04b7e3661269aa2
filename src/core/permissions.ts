// One permission check for typed commands and button clicks alike. A refusal says who may do it,
// and is written to the audit log.
import type { CommandDef } from './command.ts';
import { actorLabel, type CommandContext } from './context.ts';
import { Refusal } from './errors.ts';
import { parseActionRef } from '../domain/ids.ts';
import { recordAudit } from '../domain/audit.ts';

export const HOW_TO_LINK = 'Ask the secretariat for an invite code, then type: link <code>';

/** Who may run a command, in the words help uses. */
export function whoMay(def: Pick<CommandDef, 'permission' | 'who'>): string {
  if (def.who) return def.who;
  const p = def.permission;
  if (p === 'anyone') return 'anyone, linked or not';
  if (p === 'member') return 'any linked member of the partnership';
  if (p === 'secretariat') return 'the secretariat or the coordinators';
  return 'the co-leaders of the Action it concerns, the secretariat or the coordinators';
}

/** Refuses, writing the refusal to the audit log; for checks a handler can only make on the data. */
export async function refuse(ctx: CommandContext, def: Pick<CommandDef, 'name'>, message: string, hint?: string): Promise<never> {
  await recordAudit(ctx, {
    entityType: 'command',
    entityId: def.name,
    entityCode: def.name,
    verb: 'refused',
    after: { reason: message },
  });
  throw new Refusal(message, hint);
}

export async function checkPermission(ctx: CommandContext, def: CommandDef, args: Record<string, unknown>): Promise<void> {
  const permission = def.permission;
  if (permission === 'anyone') return;
  if (!ctx.actor.person) {
    await refuse(ctx, def, `You are not linked to a member of ${ctx.partnership.name} yet, so you can read but not change anything.`, HOW_TO_LINK);
  }
  if (permission === 'member') return;
  const { secretariat, coordinator, coLeads } = ctx.roles;
  if (secretariat || coordinator) return;
  if (permission === 'secretariat') {
    await refuse(ctx, def, `Only the secretariat or the coordinators can use "${def.name}".`);
    return;
  }
  const number = parseActionRef(permission.actionLead(args as never));
  if (coLeads.includes(number)) return;
  const leaders = await ctx.db.actionRole.findMany({
    where: { role: 'co_leader', action: { partnershipId: ctx.partnership.id, number } },
    include: { organisation: true, person: true },
  });
  const names = leaders.map((l) => l.organisation?.shortName ?? l.organisation?.name ?? l.person?.name).filter(Boolean).sort();
  await refuse(
    ctx,
    def,
    `Only the co-leaders of A${number}${names.length ? ` (${names.join(', ')})` : ''}, the secretariat or the coordinators can use "${def.name}".`,
    `You are ${actorLabel(ctx.actor)}.`,
  );
}
