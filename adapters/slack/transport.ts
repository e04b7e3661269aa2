// The scheduler's way into Slack: DMs through conversations.open, channel posts through the WebClient.
import type { Transport } from '../../src/delivery/transport.ts';
import type { SlackApp } from './app.ts';

export function slackTransport(slack: SlackApp): Transport {
  return {
    platform: 'slack',
    sendDm: async (userId, reply) => {
      await slack.sendDm(userId, reply);
    },
    postChannel: (target, reply) => slack.postMessage(target, reply),
  };
}
