// Suggestions while a user types an option: ids (A1, A1.3, A1.O2, P4) with their titles, people and
// organisations, read from the partnership the server or channel is bound to.
import type { Bot } from '../../src/core/bot.ts';
import type { ArgInfo } from '../../src/core/command.ts';
import { candidates, type Candidate } from '../../src/domain/candidates.ts';

export interface Choice {
  name: string;
  value: string;
}

const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

const clip = (s: string) => (s.length <= MAX_LENGTH ? s : `${s.slice(0, MAX_LENGTH - 1)}…`);

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
  return rank(await candidates(bot.db, partnership.id, arg.complete), typed);
}
