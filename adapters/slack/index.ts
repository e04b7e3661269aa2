// The Slack adapter's public surface: the platform entry the process assembles, and what tests use.
export { createSlackApp, SLACK_EVENTS_PATH, type SlackApp, type SlackAppOptions } from './app.ts';
export { renderReply, type SlackMessage } from './render.ts';
