// How the process finds the Discord adapter, and `partnerbot discord …`. Light on purpose:
// discord.js is imported only once Discord is configured, or one of its subcommands runs.
import { parseArgs } from 'node:util';
import { UsageError, type ChatPlatform } from '../../src/core/adapter.ts';

const USAGE = 'usage: partnerbot discord register [--guild ID] | discord commands --json';

export const platform: ChatPlatform = {
  name: 'discord',
  configured: (config) => Boolean(config.DISCORD_TOKEN),
  async create({ bot, logger, config }) {
    const [{ createDiscordBot }, { discordTransport }] = await Promise.all([import('./client.ts'), import('./transport.ts')]);
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
  async command(argv, { config, registry, print, say }) {
    if (argv[0] === 'commands' && argv[1] === '--json') {
      const { buildCommands } = await import('./commands.ts');
      print(`${JSON.stringify(buildCommands(registry), null, 2)}\n`);
      return;
    }
    if (argv[0] !== 'register') throw new UsageError(USAGE);
    const { values } = parseArgs({ args: argv.slice(1), options: { guild: { type: 'string' } } });
    const { registerWithDiscord } = await import('./register.ts');
    say(await registerWithDiscord(config, values.guild ? { guildId: values.guild } : {}));
  },
};
