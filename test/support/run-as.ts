// A command line run as someone, the way the shell's --as runs it: for tests of what people can do
// from chat, without an adapter in between.
import type { Invocation } from '../../src/core/bot.ts';
import type { Reply } from '../../src/core/reply.ts';
import { renderText } from '../../src/delivery/plain-text.ts';
import type { Fixture } from './database.ts';

export interface Ran {
  reply: Reply;
  /** The reply as the shell prints it. */
  out: string;
}

/** Runs `line` as the person with key `as` (the shell's `--as`), or, without one, as a Slack account linked to nobody. */
export async function runAs(f: Fixture, line: string, as?: string, extra: Partial<Invocation> = {}): Promise<Ran> {
  const person = as ? await f.db.prisma.person.findFirstOrThrow({ where: { key: as } }) : null;
  const reply = await f.bot.handle({
    platform: person ? 'shell' : 'slack',
    workspaceId: person ? 'local' : 'T1',
    userId: as ?? 'U-unlinked',
    displayName: as ?? 'stranger',
    text: line,
    ...(person ? { trustedPersonId: person.id } : {}),
    ...extra,
  });
  return { reply, out: renderText(reply) };
}
