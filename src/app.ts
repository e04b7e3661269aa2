// Wires the core together: one Bot over one database, one clock and the command registry.
import { allCommands } from '../commands/index.ts';
import { topics } from '../commands/topics.ts';
import { Bot, type BotDeps } from './core/bot.ts';
import { CommandRegistry } from './core/registry.ts';

export const registry = new CommandRegistry(allCommands, topics);

export function createBot(deps: Omit<BotDeps, 'registry'>): Bot {
  return new Bot({ ...deps, registry });
}
