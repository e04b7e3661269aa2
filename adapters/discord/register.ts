// `partnerbot discord register [--guild ID]`: publishes the slash commands. Guild commands appear at
// once (use them while setting up); global ones can take up to an hour to reach every server.
import { REST } from 'discord.js';
import type { Config } from '../../src/config.ts';
import type { CommandRegistry } from '../../src/core/registry.ts';
import { registerCommands } from './commands.ts';

export interface RegisterOptions {
  /** The server to register in; DISCORD_GUILD_ID when not given, else globally. */
  guildId?: string;
  registry?: CommandRegistry;
}

/** Registers with DISCORD_TOKEN and DISCORD_APPLICATION_ID; returns a line for the operator. */
export async function registerWithDiscord(config: Config, options: RegisterOptions = {}): Promise<string> {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) throw new Error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see docs/discord.md).');
  const guildId = options.guildId ?? config.DISCORD_GUILD_ID;
  if (guildId !== undefined && !/^\d{1,20}$/.test(guildId)) throw new Error(`"${guildId}" is not a Discord server id (a number).`);
  const rest = new REST({ version: '10', ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) }).setToken(config.DISCORD_TOKEN);
  const commands = await registerCommands(rest, config.DISCORD_APPLICATION_ID, guildId, options.registry);
  const entries = commands.reduce((n, c) => n + (c.options?.length ?? 0), 0);
  const names = commands.map((c) => `/${c.name}`).join(', ');
  return guildId
    ? `Registered ${names} (${entries} subcommands and groups) in server ${guildId}; usable now.`
    : `Registered ${names} (${entries} subcommands and groups) globally; Discord may take up to an hour to show them everywhere.`;
}
