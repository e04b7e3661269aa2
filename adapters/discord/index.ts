// The Discord adapter's public surface: the platform entry the process assembles, and what tests use.
export { createDiscordBot, type DiscordBot, type DiscordBotOptions, type DmResult } from './client.ts';
export { buildCommands, registerCommands } from './commands.ts';
export { registerWithDiscord } from './register.ts';
