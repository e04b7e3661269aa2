// The Discord adapter's public surface, for the CLI and the scheduler.
export { createDiscordBot, type DiscordBot, type DiscordBotOptions, type DmResult } from './client.ts';
export { buildCommands, registerCommands } from './commands.ts';
export { registerFromEnv } from './register.ts';
export { startFromEnv } from './start.ts';
