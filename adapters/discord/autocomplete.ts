// Suggestions while a user types an option: ids (A1, A1.3, A1.O2, P4) with their titles, people and
// organisations, read from the partnership the server or channel is bound to.
import type { Bot } from '../../src/core/bot.ts';
import type { ArgInfo, Completion } from '../../src/core/command.ts';

export interface Choice {
  name: string;
  value: string;
}

const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

interface Candidate {
  /** What the option receives, e.g. "A1.3". */
  value: string;
  /** What the user sees next to it. */
  label: string;
}

const clip = (s: string) => (s.length <= MAX_LENGTH ? s : `${s.slice(0, MAX_LENGTH - 1)}…`);

/** Natural order for codes, so A1.10 comes after A1.9. */
const byCode = (a: Candidate, b: Candidate) => a.value.localeCompare(b.value, 'en', { numeric: true });

async function candidates(bot: Bot, partnershipId: string, kind: Completion): Promise<Candidate[]> {
  const { db } = bot;
  const inPartnership = { action: { partnershipId } };
  switch (kind) {
    case 'action':
      return (await db.action.findMany({ where: { partnershipId }, orderBy: { number: 'asc' } })).map((a) => ({
        value: `A${a.number}`,
        label: a.shortTitle,
      }));
    case 'activity':
      return (await db.activity.findMany({ where: inPartnership })).map((a) => ({ value: a.code, label: a.title })).sort(byCode);
    case 'output':
      return (await db.output.findMany({ where: inPartnership })).map((o) => ({ value: o.code, label: o.title })).sort(byCode);
    case 'item': {
      const [actions, activities, outputs] = await Promise.all([
        candidates(bot, partnershipId, 'action'),
        candidates(bot, partnershipId, 'activity'),
        candidates(bot, partnershipId, 'output'),
      ]);
      return [...actions, ...activities, ...outputs].sort(byCode);
    }
    case 'meeting':
      return (await db.meeting.findMany({ where: { partnershipId }, orderBy: [{ kind: 'asc' }, { seq: 'asc' }] })).map((m) => ({
        value: m.code,
        label: m.title,
      }));
    case 'person':
      // The key, not the name: it is exact even when two people share a name.
      return (await db.person.findMany({ where: { partnershipId }, orderBy: { name: 'asc' }, include: { organisation: true } })).map(
        (p) => ({ value: p.key, label: p.organisation ? `${p.name} (${p.organisation.shortName ?? p.organisation.name})` : p.name }),
      );
    case 'organisation':
      return (await db.organisation.findMany({ where: { partnershipId }, orderBy: { name: 'asc' } })).map((o) => ({
        value: o.shortName ?? o.name,
        label: o.shortName ? o.name : '',
      }));
  }
}

/** Codes starting with what was typed come first, then anything containing it in code or title. */
function rank(list: Candidate[], typed: string): Choice[] {
  const q = typed.trim().toLowerCase();
  const starts = list.filter((c) => c.value.toLowerCase().startsWith(q));
  const contains = list.filter((c) => !starts.includes(c) && `${c.value} ${c.label}`.toLowerCase().includes(q));
  return [...starts, ...contains]
    .filter((c) => c.value.length <= MAX_LENGTH)
    .slice(0, MAX_CHOICES)
    .map((c) => ({ name: clip(c.label ? `${c.value} — ${c.label}` : c.value), value: c.value }));
}

export async function suggest(
  bot: Bot,
  where: { workspaceId: string; channelId?: string },
  arg: ArgInfo,
  typed: string,
): Promise<Choice[]> {
  if (arg.choices && !arg.complete) return rank(arg.choices.map((c) => ({ value: c, label: '' })), typed);
  if (!arg.complete) return [];
  const partnership = await bot.partnershipFor({ platform: 'discord', ...where });
  return rank(await candidates(bot, partnership.id, arg.complete), typed);
}
