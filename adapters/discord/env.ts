// The Discord settings from the environment, checked once with a message naming what is missing.
export interface DiscordCredentials {
  token: string;
  applicationId: string;
}

/** Undefined when Discord is not configured at all (no DISCORD_TOKEN): the bot then runs without it. */
export function discordCredentials(env: Record<string, string | undefined>): DiscordCredentials | undefined {
  const token = env['DISCORD_TOKEN']?.trim();
  const applicationId = env['DISCORD_APPLICATION_ID']?.trim();
  if (!token && !applicationId) return undefined;
  const missing = [!token && 'DISCORD_TOKEN', !applicationId && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (missing.length) throw new Error(`Set ${missing.join(' and ')} (see docs/discord.md).`);
  if (!/^\d{1,20}$/.test(applicationId!)) throw new Error('DISCORD_APPLICATION_ID must be the numeric application id (see docs/discord.md).');
  return { token: token!, applicationId: applicationId! };
}
