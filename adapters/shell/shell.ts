// The local shell adapter (like Hubot's shell or Errbot's text backend): the bot in a terminal, no
// platform at all. Interactive with a prompt on a TTY; one command per line otherwise.
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Person } from '@prisma/client';
import type { Bot } from '../../src/core/bot.ts';
import { text, type Reply } from '../../src/core/reply.ts';
import { renderText } from '../../src/delivery/plain-text.ts';

export interface ShellOptions {
  bot: Bot;
  /** Where attachments (charts, calendars, exports) are written; printed as paths. */
  outputDir?: string;
  input: Readable;
  output: Writable;
  /** Who the operator acts as; null acts as an unlinked user. */
  person: Person | null;
  interactive: boolean;
}

const QUIT = new Set(['quit', 'exit', '\\q']);

/** The terminal cannot show a PNG or a calendar: each attachment becomes a file, and its path is printed. */
async function saveAttachments(reply: Reply, dir: string): Promise<Reply> {
  if (!reply.attachments?.length) return reply;
  await mkdir(dir, { recursive: true });
  const lines: string[] = [];
  for (const a of reply.attachments) {
    const path = resolve(dir, basename(a.filename));
    await writeFile(path, a.data);
    lines.push(`Wrote ${path}`);
  }
  const { attachments: _written, ...rest } = reply;
  return { ...rest, blocks: [...reply.blocks, text(lines.join('\n'))] };
}

export async function runShell({ bot, input, output, person, interactive, outputDir = 'out' }: ShellOptions): Promise<void> {
  const rl = createInterface({ input, ...(interactive ? { output, terminal: true } : {}), crlfDelay: Infinity });
  // A slow reader (a pager, a pipe) gets every byte: wait for it rather than buffer without end.
  const write = async (text: string) => {
    // A reader that went away (EPIPE) destroys the stream: the loop below then stops reading.
    if (!output.write(`${text}\n`) && !output.destroyed) await once(output, 'drain').catch(() => {});
  };
  const userId = person ? `person:${person.key}` : userInfo().username;
  if (interactive) {
    await write(`partnerbot shell — acting as ${person ? person.name : 'an unlinked user'}. Type "help", or "quit" to leave.`);
    rl.setPrompt('partner> ');
    rl.prompt();
  }
  for await (const raw of rl) {
    if (output.destroyed) break;
    const line = raw.trim();
    if (QUIT.has(line.toLowerCase())) break;
    if (line && !line.startsWith('#')) {
      if (!interactive) await write(`> ${line}`);
      const reply = await bot.handle({
        platform: 'shell',
        workspaceId: 'local',
        userId,
        displayName: person?.name ?? userId,
        text: line,
        ...(person ? { trustedPersonId: person.id } : {}),
      });
      await write(`${renderText(await saveAttachments(reply, outputDir))}\n`);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** Case, accents and spacing do not matter: "--as 'ile-de-france'" names Île-de-France. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** An operator's own typing, echoed back without anything that would steer the terminal. */
function printable(s: string): string {
  const shown = s.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

function choices(names: string[]): string {
  const sorted = [...new Set(names)].sort((a, b) => a.localeCompare(b));
  return sorted.length > 12 ? `${sorted.slice(0, 12).join(', ')}, … (${sorted.length} in all)` : sorted.join(', ');
}

export type ActingPerson = { person: Person } | { problem: string };

/**
 * `--as` names a person (key or name) or an organisation (key, name, short name or alias; its first
 * person acts), exactly: a part of a name is no name, since it could select someone with more rights.
 */
export async function findActingPerson(bot: Bot, partnershipId: string, who: string): Promise<ActingPerson> {
  const db = bot.db;
  const q = fold(who);
  const organisations = await db.organisation.findMany({
    where: { partnershipId },
    select: { id: true, key: true, name: true, shortName: true, aliases: true, people: { orderBy: { key: 'asc' }, take: 1 } },
  });
  if (!q) return { problem: `give a person or an organisation, e.g. one of: ${choices(organisations.map((o) => o.name))}` };
  const people = await db.person.findMany({ where: { partnershipId }, orderBy: { key: 'asc' } });
  const personHits = people.filter((p) => fold(p.key) === q || fold(p.name) === q);
  if (personHits.length === 1) return { person: personHits[0]! };
  if (personHits.length > 1) return { problem: `"${printable(who)}" is several people: ${choices(personHits.map((p) => p.key))}; give a key` };
  const orgHits = organisations.filter((o) => [o.key, o.name, o.shortName ?? '', ...o.aliases].some((n) => fold(n) === q));
  if (orgHits.length > 1) return { problem: `"${printable(who)}" is several organisations: ${choices(orgHits.map((o) => `${o.name} (${o.key})`))}; give a key` };
  const org = orgHits[0];
  if (!org) return { problem: `no person or organisation matches "${printable(who)}"` };
  const first = org.people[0];
  return first ? { person: first } : { problem: `${org.name} has no people to act as` };
}

/** The default operator: the first secretariat member (the demo secretariat on the shipped plan). */
export async function defaultShellPerson(bot: Bot, partnershipId: string): Promise<Person | null> {
  const role = await bot.db.partnershipRole.findFirst({
    where: { partnershipId, role: 'secretariat', personId: { not: null } },
    include: { person: true },
    orderBy: { person: { key: 'asc' } },
  });
  return role?.person ?? null;
}
