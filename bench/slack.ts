// (2) Slack end to end: signed slash-command requests into the real Bolt HTTP receiver of the
// adapter (Web API and response_url served by the local stand-in the tests use), beside a bare Bolt
// app that only acks, in the same run. The ratio is what the adapter adds before Slack gets its ack;
// the answer column is the whole round trip until the reply reaches the response_url. The client and
// the Slack stand-in run in a worker thread (see slack-client.ts).
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createSlackApp } from '../adapters/slack/index.ts';
import { silentLogger } from '../src/core/bot.ts';
import { LINKED_USER, setUp, TEAM } from '../test/slack/setup.ts';
import { COMMANDS } from './commands.ts';
import type { Section } from './run.ts';
import type { ClientData, ClientMessage, ParentMessage } from './slack-client.ts';
import { ms, ratio, summarize, table } from './stats.ts';

const SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const WARMUP = 20;

class Client {
  private readonly worker: Worker;
  private readonly messages: ClientMessage[] = [];
  private waiting?: () => void;

  constructor(data: ClientData) {
    // Workers do not inherit tsx's loader: the worker registers it, then loads the TypeScript module.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./slack-client.ts', import.meta.url).href)}); });`;
    this.worker = new Worker(boot, { eval: true, workerData: data });
    this.worker.on('message', (m: ClientMessage) => {
      this.messages.push(m);
      this.waiting?.();
    });
    this.worker.on('error', (e) => {
      throw e;
    });
  }

  async next(): Promise<ClientMessage> {
    while (!this.messages.length) await new Promise<void>((r) => (this.waiting = r));
    return this.messages.shift()!;
  }

  async run(url: string, waitForAnswer: boolean): Promise<{ acks: number[]; answers: number[] }> {
    this.worker.postMessage({ type: 'run', url, waitForAnswer } satisfies ParentMessage);
    const m = await this.next();
    if (m.type !== 'done') throw new Error('slack bench: unexpected message from the client');
    return m;
  }

  async stop(): Promise<void> {
    this.worker.postMessage({ type: 'stop' } satisfies ParentMessage);
    await new Promise((r) => this.worker.once('exit', r));
  }
}

async function bareBolt(apiUrl: string): Promise<{ url: string; stop: () => Promise<unknown> }> {
  const app = new App({
    receiver: new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR }),
    authorize: async () => ({ botToken: BOT_TOKEN, botId: 'BBOT', botUserId: 'UBOT', teamId: TEAM }),
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/partner', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, stop: () => app.stop() };
}

export const slackEndToEnd: Section = {
  title: 'Slack end to end (signed slash command → ack)',
  async run(log) {
    const client = new Client({ secret: SECRET, team: TEAM, user: LINKED_USER, commands: COMMANDS, warmup: WARMUP, samples: SAMPLES });
    const ready = await client.next();
    if (ready.type !== 'ready') throw new Error('slack bench: the client did not start');
    const fx = await setUp();
    const slack = createSlackApp({ bot: fx.bot, signingSecret: SECRET, botToken: BOT_TOKEN, port: 0, slackApiUrl: ready.apiUrl, logger: silentLogger });
    const { port } = await slack.start();
    const bare = await bareBolt(ready.apiUrl);
    try {
      const full = await client.run(`http://127.0.0.1:${port}/slack/events`, true);
      const floor = summarize((await client.run(bare.url, false)).acks);
      const real = summarize(full.acks);
      const answer = summarize(full.answers);
      log(`  ack p50 ${ms(real.p50)} p99 ${ms(real.p99)}; bare ${ms(floor.p50)}/${ms(floor.p99)}; answer ${answer.p50}/${answer.p99}`);
      const ok = real.p99 / floor.p99 <= 1.5 && real.p99 < 300 ? 'yes' : '**no**';
      return [
        `${SAMPLES} slash commands (cycling through ${COMMANDS.map((c) => `\`${c}\``).join(', ')}) after ${WARMUP} unmeasured ones, one at a time, over keep-alive HTTP on 127.0.0.1; embedded database in memory with the shipped plan. Client and Slack stand-in in a worker thread.`,
        '',
        table(
          ['what', 'p50 ms', 'p99 ms', 'bare Bolt p50', 'bare Bolt p99', 'p50 / bare', 'p99 / bare', 'target', 'met'],
          [
            ['ack (HTTP 200)', ms(real.p50), ms(real.p99), ms(floor.p50), ms(floor.p99), ratio(real.p50, floor.p50), ratio(real.p99, floor.p99), 'p99 ≤ 1.5× bare, < 300 ms', ok],
            ['answer at response_url', ms(answer.p50), ms(answer.p99), '', '', '', '', '', ''],
          ],
        ),
      ].join('\n');
    } finally {
      await bare.stop();
      await slack.stop();
      await fx.database.close();
      await client.stop();
    }
  },
};
