// The local shell adapter (like Hubot's shell or Errbot's text backend): the bot in a terminal, no
// platform at all. Interactive with a prompt on a TTY; one command per line otherwise.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Person } from '@prisma/client';
import type { Bot } from '../../src/core/bot.ts';
import { renderText } from './render.ts';

export interface ShellOptions {
  bot: Bot;
  input: Readable;
  output: Writable;
  /** Who the operator acts as; null acts as an unlinked user. */
  person: Person | null;
  interactive: boolean;
}

const QUIT = new Set(['quit', 'exit', '\\q']);

export async function runShell({ bot, input, output, person, interactive }: ShellOptions): Promise<void> {
  const rl = createInterface({ input, ...(interactive ? { output, terminal: true } : {}), crlfDelay: Infinity });
  const write = (text: string) => output.write(`${text}\n`);
  const userId = person ? `person:${person.key}` : userInfo().username;
  if (interactive) {
    write(`partnerbot shell — acting as ${person ? person.name : 'an unlinked user'}. Type "help", or "quit" to leave.`);
    rl.setPrompt('partner> ');
    rl.prompt();
  }
  for await (const raw of rl) {
    const line = raw.trim();
    if (QUIT.has(line.toLowerCase())) break;
    if (line && !line.startsWith('#')) {
      if (!interactive) write(`> ${line}`);
      const reply = await bot.handle({
        platform: 'shell',
        workspaceId: 'local',
        userId,
        displayName: person?.name ?? userId,
        text: line,
        ...(person ? { trustedPersonId: person.id } : {}),
      });
      write(renderText(reply));
      write('');
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** `--as` accepts a person's key or name, or an organisation (its first person). */
export async function findActingPerson(bot: Bot, partnershipId: string, who: string): Promise<Person | null> {
  const db = bot.db;
  const q = who.trim();
  const byPerson = await db.person.findFirst({
    where: { partnershipId, OR: [{ key: q.toLowerCase() }, { name: { equals: q, mode: 'insensitive' } }] },
  });
  if (byPerson) return byPerson;
  const org = await db.organisation.findFirst({
    where: { partnershipId, OR: [{ key: q.toLowerCase() }, { shortName: { equals: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }, { aliases: { has: q } }] },
  });
  if (!org) return null;
  return db.person.findFirst({ where: { organisationId: org.id }, orderBy: { key: 'asc' } });
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
