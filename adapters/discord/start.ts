// `partnerbot start` with Discord configured: connect, and stop cleanly on shutdown.
import type { RESTOptions } from 'discord.js';
import type { Bot, Logger } from '../../src/core/bot.ts';
import { createDiscordBot, type DiscordBot } from './client.ts';
import { discordCredentials } from './env.ts';

/** Connects when DISCORD_TOKEN is set; resolves to undefined (and connects nothing) when it is not. */
export async function startFromEnv(
  env: Record<string, string | undefined>,
  deps: { bot: Bot; logger?: Logger; rest?: Partial<RESTOptions> },
): Promise<DiscordBot | undefined> {
  const credentials = discordCredentials(env);
  if (!credentials) return undefined;
  const discord = createDiscordBot({ ...deps, ...credentials });
  await discord.start();
  return discord;
}
