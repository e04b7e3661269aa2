// A bare Bolt app on the HTTP receiver that only acknowledges /partner, idle: what any Slack app
// costs in memory, beside which the adapter's process is measured. Prints "listening" once up.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const app = new App({
  receiver: new HTTPReceiver({ signingSecret: 'bench-signing-secret', endpoints: '/slack/events', logLevel: LogLevel.ERROR }),
  authorize: async () => ({ botToken: 'xoxb-bench-token', botId: 'BBOT', botUserId: 'UBOT', teamId: 'TBENCH' }),
  clientOptions: { slackApiUrl: process.argv[2] },
  logLevel: LogLevel.ERROR,
});
app.command('/partner', async ({ ack }) => ack());
await app.start(0);
process.stdout.write('listening\n');
