// The scheduler's way into Discord. A member who does not accept DMs is reported as such, so the
// dispatcher posts to the Action channel instead.
import { DmUnavailable, type Transport } from '../../src/delivery/transport.ts';
import type { DiscordBot } from './client.ts';

export function discordTransport(discord: DiscordBot): Transport {
  return {
    platform: 'discord',
    sendDm: async (userId, reply) => {
      const result = await discord.sendDm(userId, reply);
      if (result.delivered === 'none') throw new DmUnavailable(result.reason);
    },
    postChannel: async (target, reply) => {
      await discord.postMessage(target.channelId, reply);
    },
  };
}
