import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { context, reply, text } from '../src/core/reply.ts';
import { recordAudit } from '../src/domain/audit.ts';

const INVITE_DAYS = 14;
// No 0/O/1/I: codes are read aloud and typed by hand.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const hash = (code: string) => createHash('sha256').update(code.toUpperCase().replace(/[^A-Z0-9]/g, '')).digest('hex');

function newCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export const invite = defineCommand({
  name: 'invite',
  summary: 'Issue a one-time code that links a chat account to a person (secretariat)',
  examples: ['invite demo-flanders', 'invite "Lotte Peeters"'],
  args: z.object({ person: z.string().min(2).max(120).describe('The person\'s key or name').meta({ complete: 'person' }) }),
  positional: ['person'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, { person: who }) {
    const matches = await ctx.db.person.findMany({
      where: { partnershipId: ctx.partnership.id, removedAt: null, OR: [{ key: who.toLowerCase() }, { name: { contains: who, mode: 'insensitive' } }] },
      take: 3,
    });
    if (matches.length === 0) throw new UserError(`No person matches "${who}".`, 'Use their key (e.g. demo-flanders) or part of their name.');
    if (matches.length > 1) throw new UserError(`"${who}" matches several people: ${matches.map((p) => p.key).join(', ')}.`, 'Use the key.');
    const person = matches[0]!;
    const code = newCode();
    const expiresAt = new Date(ctx.clock.now().getTime() + INVITE_DAYS * 86_400_000);
    await ctx.db.inviteCode.create({ data: { partnershipId: ctx.partnership.id, personId: person.id, codeHash: hash(code), createdBy: ctx.actor.person?.name ?? null, expiresAt } });
    await recordAudit(ctx, { entityType: 'person', entityId: person.id, entityCode: person.key, verb: 'invited' });
    return reply(`Invite code for ${person.name}`, [
      text(code),
      context(`Send it to ${person.name} privately. They type "link ${code}" in Slack, Discord or the shell. Valid ${INVITE_DAYS} days, once.`),
    ], { ephemeral: true });
  },
});

export const link = defineCommand({
  name: 'link',
  summary: 'Link your chat account to your person with an invite code',
  examples: ['link ABCDE-FGHJK'],
  args: z.object({ code: z.string().min(4).max(40).describe('The code the secretariat gave you') }),
  positional: ['code'],
  permission: 'anyone',
  async handler(ctx, { code }) {
    const invite = await ctx.db.inviteCode.findUnique({ where: { codeHash: hash(code) }, include: { person: true } });
    const now = ctx.clock.now();
    if (!invite || invite.partnershipId !== ctx.partnership.id) throw new UserError('That code is not valid.', 'Check it, or ask the secretariat for a new one.');
    if (invite.usedAt) throw new UserError('That code has already been used.', 'Ask the secretariat for a new one.');
    if (invite.expiresAt < now) throw new UserError('That code has expired.', 'Ask the secretariat for a new one.');
    const { platform, workspaceId, userId, displayName } = ctx.actor;
    await ctx.db.$transaction(async (tx) => {
      // Claim the code first: of two simultaneous redemptions only one updates the row.
      const claimed = await tx.inviteCode.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new UserError('That code has already been used.');
      await tx.chatIdentity.upsert({
        where: { platform_workspaceId_externalId: { platform, workspaceId, externalId: userId } },
        create: { personId: invite.personId, platform, workspaceId, externalId: userId, displayName },
        update: { personId: invite.personId, displayName },
      });
      await recordAudit({ ...ctx, actor: { ...ctx.actor, person: invite.person } }, { entityType: 'person', entityId: invite.personId, entityCode: invite.person.key, verb: 'linked', after: { platform, userId } }, tx);
    });
    return reply('Linked', [text(`Welcome, ${invite.person.name}. You are now linked on ${platform}.`), context('Type "me" to see your Actions and deadlines.')], { ephemeral: true });
  },
});
