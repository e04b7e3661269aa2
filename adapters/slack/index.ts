// The Slack adapter's public surface, for the CLI and the scheduler.
export { createSlackApp, SLACK_EVENTS_PATH, type SlackApp, type SlackAppOptions } from './app.ts';
export { renderReply, type SlackMessage } from './render.ts';
