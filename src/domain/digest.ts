// The weekly digest: overdue items, what falls due or starts in the next 14 days, what changed in the
// last 7 days, outputs waiting for review, the next plenary and its agenda, Actions with no update for
// 30 days, each Action's state-of-play check-in, and targets' progress. The same reply serves "digest preview" and the Monday post.
import type { CommandContext } from '../core/context.ts';
import { context, fields, list, reply, type Block, type Reply } from '../core/reply.ts';
import { describeChange } from './audit-words.ts';
import { dueItems, latestOverdue, type DueItem } from './due.ts';
import { addDays, describeFuzzyDate } from './fuzzy-date.ts';
import { nextPlenary, whenOf } from './plan.ts';
import { absencesSection } from './digest-absences.ts';
import { checkInSection } from './digest-checkins.ts';

/** The digest names the items that fell overdue most recently, and counts the rest. */
const OVERDUE_SHOWN = 15;

type DigestContext = Pick<CommandContext, 'db' | 'partnership' | 'today' | 'clock'>;

export async function buildDigest(ctx: DigestContext): Promise<Reply> {
  const today = ctx.today();
  const partnershipId = ctx.partnership.id;
  const weekAgo = new Date(ctx.clock.now().getTime() - 7 * 86_400_000);
  const monthAgo = new Date(ctx.clock.now().getTime() - 30 * 86_400_000);
  const [overdue, soon, changes, inReview, plenary, actions, recent, targets] = await Promise.all([
    latestOverdue(ctx as CommandContext, OVERDUE_SHOWN),
    dueItems(ctx as CommandContext, { days: 14, soonOnly: true }),
    ctx.db.auditEntry.findMany({
      where: { partnershipId, at: { gte: weekAgo }, verb: { in: ['status', 'moved', 'added', 'changed', 'removed', 'link', 'state of play', 'target', 'decision recorded', 'reordered'] } },
      orderBy: { at: 'asc' },
      take: 40,
    }),
    ctx.db.output.findMany({ where: { action: { partnershipId }, status: 'in_review' }, orderBy: { code: 'asc' } }),
    nextPlenary(ctx as CommandContext),
    ctx.db.action.findMany({ where: { partnershipId }, orderBy: { number: 'asc' } }),
    ctx.db.auditEntry.findMany({ where: { partnershipId, at: { gte: monthAgo }, verb: { not: 'refused' } }, select: { entityCode: true } }),
    ctx.db.target.findMany({ where: { action: { partnershipId } }, include: { action: { select: { number: true } } } }),
  ]);
  const blocks: Block[] = [];
  const line = (i: DueItem) => `${i.code} ${i.title} — ${describeFuzzyDate(i.when)}`;
  const older = overdue.total - overdue.items.length;
  const overdueLines = overdue.items.length ? overdue.items.map(line) : ['Nothing overdue.'];
  if (older > 0) overdueLines.push(`… and ${older} more that fell due earlier ("due" lists them all)`);
  blocks.push(list(overdueLines, `Overdue (${overdue.total})`));
  blocks.push(list(soon.length ? soon.map((i) => `${line(i)}${i.bucket === 'starting' ? ' (starts)' : ''}`) : ['Nothing in the next 14 days.'], `Next 14 days (until ${addDays(today, 14)})`));
  blocks.push(
    list(
      changes.length ? changes.map(describeChange) : ['No changes.'],
      'Changed in the last 7 days',
    ),
  );
  if (inReview.length) blocks.push(list(inReview.map((o) => `${o.code} ${o.title}`), 'Outputs waiting for review'));
  if (plenary) {
    const agenda = await ctx.db.agendaItem.findMany({ where: { meetingId: plenary.id }, orderBy: { position: 'asc' } });
    blocks.push(
      fields([
        ['Next plenary', `${plenary.code} ${plenary.title} — ${describeFuzzyDate(whenOf(plenary))}`],
        ['Agenda', agenda.length ? agenda.map((a) => `${a.position}. ${a.title}`).join('\n') : 'no items yet'],
      ]),
    );
  }
  const touched = new Set(recent.map((r) => /^A\d+/.exec(r.entityCode)?.[0]).filter(Boolean));
  const quiet = actions.filter((a) => !touched.has(`A${a.number}`));
  if (quiet.length) blocks.push(list(quiet.map((a) => `A${a.number} ${a.shortTitle}`), 'No update for 30 days'));
  const checkIns = await checkInSection(ctx);
  if (checkIns) blocks.push(checkIns);
  if (targets.length) blocks.push(list(targets.map((t) => `A${t.action.number} ${t.label}: ${t.currentValue} of ${t.targetValue}${t.unit ? ` ${t.unit}` : ''}`), 'Targets'));
  const away = await absencesSection(ctx);
  if (away) blocks.push(away);
  blocks.push(context(`Weekly digest for ${ctx.partnership.name}, ${today}.`));
  return reply(`Weekly digest — ${today}`, blocks);
}
