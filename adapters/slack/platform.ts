// How the process finds the Slack adapter. Light on purpose: Bolt is imported only once Slack is
// configured and the adapter created.
import type { ChatPlatform } from '../../src/core/adapter.ts';

export const platform: ChatPlatform = {
  name: 'slack',
  configured: (config) => Boolean(config.SLACK_BOT_TOKEN),
  async create({ bot, logger, config }) {
    const [{ createSlackApp }, { slackTransport }] = await Promise.all([import('./app.ts'), import('./transport.ts')]);
    const slack = createSlackApp({
      bot,
      logger,
      botToken: config.SLACK_BOT_TOKEN!,
      port: config.SLACK_PORT,
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    });
    return {
      name: 'slack',
      transport: slackTransport(slack),
      async start() {
        await slack.start();
        logger.info('slack connected', { mode: config.SLACK_APP_TOKEN ? 'socket' : `http :${config.SLACK_PORT}` });
      },
      stop: () => slack.stop(),
      isReady: () => slack.checkConnected(),
    };
  },
};
