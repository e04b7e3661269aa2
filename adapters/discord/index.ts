// The Discord adapter's public surface: the platform entry the process assembles, and what the CLI
// and tests use.
import type { ChatPlatform } from '../../src/core/adapter.ts';
import { createDiscordBot } from './client.ts';
import { discordTransport } from './transport.ts';

export { createDiscordBot, type DiscordBot, type DiscordBotOptions, type DmResult } from './client.ts';
export { buildCommands, registerCommands } from './commands.ts';
export { registerWithDiscord } from './register.ts';

export const discordPlatform: ChatPlatform = {
  name: 'discord',
  configured: (config) => Boolean(config.DISCORD_TOKEN),
  create({ bot, logger, config }) {
    const discord = createDiscordBot({
      bot,
      logger,
      token: config.DISCORD_TOKEN!,
      applicationId: config.DISCORD_APPLICATION_ID!,
      ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
    });
    return {
      name: 'discord',
      transport: discordTransport(discord),
      start: () => discord.start(),
      stop: () => discord.stop(),
      isReady: () => discord.client.isReady(),
    };
  },
};
