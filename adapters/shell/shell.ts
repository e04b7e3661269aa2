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
  /** Ends the session as if the operator had typed "quit". */
  signal?: AbortSignal;
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

export async function runShell({ bot, input, output, person, interactive, outputDir = 'out', signal }: ShellOptions): Promise<void> {
  const rl = createInterface({ input, ...(interactive ? { output, terminal: true } : {}), crlfDelay: Infinity, ...(signal ? { signal } : {}) });
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
