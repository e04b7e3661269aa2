// `partnerbot discord register [--guild ID]`: publishes the slash commands. Guild commands appear at
// once (use them while setting up); global ones can take up to an hour to reach every server.
import { REST, type RESTOptions } from 'discord.js';
import type { CommandRegistry } from '../../src/core/registry.ts';
import { registerCommands } from './commands.ts';
import { discordCredentials } from './env.ts';

export interface RegisterOptions {
  guildId?: string;
  /** Tests point `api` at a local server. */
  rest?: Partial<RESTOptions>;
  registry?: CommandRegistry;
}

/** Registers with DISCORD_TOKEN and DISCORD_APPLICATION_ID; returns a line for the operator. */
export async function registerFromEnv(env: Record<string, string | undefined>, options: RegisterOptions = {}): Promise<string> {
  const credentials = discordCredentials(env);
  if (!credentials) throw new Error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see docs/discord.md).');
  const guildId = options.guildId ?? (env['DISCORD_GUILD_ID']?.trim() || undefined);
  if (guildId !== undefined && !/^\d{1,20}$/.test(guildId)) throw new Error(`"${guildId}" is not a Discord server id (a number).`);
  const rest = new REST({ version: '10', ...options.rest }).setToken(credentials.token);
  const commands = await registerCommands(rest, credentials.applicationId, guildId, options.registry);
  const entries = commands.reduce((n, c) => n + (c.options?.length ?? 0), 0);
  const names = commands.map((c) => `/${c.name}`).join(', ');
  return guildId
    ? `Registered ${names} (${entries} subcommands and groups) in server ${guildId}; usable now.`
    : `Registered ${names} (${entries} subcommands and groups) globally; Discord may take up to an hour to show them everywhere.`;
}
