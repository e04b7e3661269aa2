// Wires the core together: one Bot over one database, one clock and the command registry.
import { allCommands } from '../commands/index.ts';
import { Bot, type Logger } from './core/bot.ts';
import type { Clock } from './core/clock.ts';
import { CommandRegistry } from './core/registry.ts';
import type { Db } from './persistence/database.ts';

export const registry = new CommandRegistry(allCommands);

export function createBot(deps: { db: Db; clock: Clock; defaultPartnership?: string; logger?: Logger }): Bot {
  return new Bot({ ...deps, registry });
}
