// The bot over the shipped plan, and a runner that acts as one of its people.
import type { Reply } from '../../src/core/reply.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';

export interface ExportFixture extends Fixture {
  run(line: string, as?: string): Promise<Reply>;
}

export async function exportFixture(at = '2025-11-20'): Promise<ExportFixture> {
  const f = await shippedPlanFixture(at);
  const { bot } = f;
  const run = async (line: string, as?: string) => {
    const person = as ? await f.db.prisma.person.findFirstOrThrow({ where: { key: as } }) : null;
    return bot.handle({
      platform: 'shell',
      workspaceId: 'local',
      userId: as ?? 'stranger',
      displayName: as ?? 'stranger',
      text: line,
      ...(person ? { trustedPersonId: person.id } : {}),
    });
  };
  return { ...f, run };
}

export const SECRETARIAT = 'demo-secretariat';

export function attachmentText(reply: Reply): string {
  const file = reply.attachments?.[0];
  if (!file) throw new Error(`no attachment in reply: ${JSON.stringify(reply.blocks)}`);
  return new TextDecoder().decode(file.data);
}
