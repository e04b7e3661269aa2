// A bot whose registry also holds the export commands, as commands/index.ts will once they are
// registered; and a runner that acts as a person of the shipped plan.
import { allCommands } from '../../commands/index.ts';
import { exportCommands } from '../../commands/exports.ts';
import { Bot } from '../../src/core/bot.ts';
import type { CommandDef } from '../../src/core/command.ts';
import { CommandRegistry } from '../../src/core/registry.ts';
import type { Reply } from '../../src/core/reply.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';

export interface ExportFixture extends Fixture {
  run(line: string, as?: string): Promise<Reply>;
}

export async function exportFixture(at = '2025-11-20'): Promise<ExportFixture> {
  const f = await shippedPlanFixture(at);
  const registry = new CommandRegistry([...allCommands, ...(exportCommands as unknown as CommandDef[])]);
  const bot = new Bot({ db: f.db.prisma, clock: f.clock, registry });
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
  return { ...f, bot, run };
}

export const SECRETARIAT = 'demo-secretariat';

export function attachmentText(reply: Reply): string {
  const file = reply.attachments?.[0];
  if (!file) throw new Error(`no attachment in reply: ${JSON.stringify(reply.blocks)}`);
  return new TextDecoder().decode(file.data);
}
