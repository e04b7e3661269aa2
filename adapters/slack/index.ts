// The Slack adapter's public surface: the platform entry the process assembles, and what tests use.
import type { ChatPlatform } from '../../src/core/adapter.ts';
import { createSlackApp } from './app.ts';
import { slackTransport } from './transport.ts';

export { createSlackApp, SLACK_EVENTS_PATH, type SlackApp, type SlackAppOptions } from './app.ts';
export { renderReply, type SlackMessage } from './render.ts';

export const slackPlatform: ChatPlatform = {
  name: 'slack',
  configured: (config) => Boolean(config.SLACK_BOT_TOKEN),
  create({ bot, logger, config }) {
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
