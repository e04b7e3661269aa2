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
import { renderText } from './render.ts';

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
