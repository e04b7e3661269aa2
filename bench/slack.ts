// (2) Slack end to end: signed slash-command requests into the real Bolt HTTP receiver of the
// adapter (Web API and response_url served by the local stand-in the tests use), beside a bare Bolt
// app that only acks, in the same run. The ratio is what the adapter adds before Slack gets its ack;
// the answer column is the whole round trip until the reply reaches the response_url. The client and
// the Slack stand-in run in a worker thread (see slack-client.ts). The two apps are measured in
// alternating rounds so that drift in the machine's load falls on both alike.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import diagnostics from 'node:diagnostics_channel';
import type { AddressInfo, Socket } from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSlackApp } from '../adapters/slack/index.ts';
import { silentLogger } from '../src/core/bot.ts';
import { LINKED_USER, setUp, TEAM } from '../test/slack/setup.ts';
import { COMMANDS } from './commands.ts';
import type { Section } from './run.ts';
import type { ClientData, ClientMessage, ParentMessage, RunRequest } from './slack-client.ts';
import { ms, ratio, summarize, table } from './stats.ts';

const SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const ROUNDS = 4;
// A p99 is only as steady as the handful of samples above it: ten times the usual count, so that it
// is the tenth slowest of a thousand rather than the slowest of a hundred.
const PER_ROUND = Math.max(1, Math.round((SAMPLES * 10) / ROUNDS));
const WARMUP = 20;
/** People do not send a command within a millisecond of the last answer; the target row waits this long. */
const IDLE_GAP_MS = 20;

/** CPUs for the bot and for Slack's stand-in, when the machine has two to give. */
function cpuPlan(): { bot: string; client: string } | undefined {
  if (cpus().length < 2 || spawnSync('taskset', ['-V']).status !== 0) return undefined;
  return { bot: '0', client: '1' };
}

/** Pins every thread of this process (the bench and the bot under test) to `cpus`. */
function pinSelf(list: string): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', list, String(process.pid)]);
  if (r.status !== 0) throw new Error(`taskset failed: ${r.stderr.toString()}`);
}

class Client {
  private readonly child: ChildProcess;
  private readonly messages: ClientMessage[] = [];
  private waiting?: () => void;
  private failed?: Error;

  constructor(data: ClientData, cpu: string | undefined) {
    const script = fileURLToPath(new URL('./slack-client.ts', import.meta.url));
    const node = [process.execPath, '--import', 'tsx', script];
    const [command, ...args] = cpu ? ['taskset', '-c', cpu, ...node] : node;
    this.child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, BENCH_SLACK_CLIENT: JSON.stringify(data) } });
    this.child.on('message', (m: ClientMessage) => {
      this.messages.push(m);
      this.waiting?.();
    });
    this.child.on('exit', (code) => {
      if (code) this.failed = new Error(`slack bench client exited with code ${code}`);
      this.waiting?.();
    });
  }

  async next(): Promise<ClientMessage> {
    while (!this.messages.length) {
      if (this.failed) throw this.failed;
      await new Promise<void>((r) => (this.waiting = r));
    }
    return this.messages.shift()!;
  }

  async run(request: Omit<RunRequest, 'type'>): Promise<{ acks: number[]; answers: number[] }> {
    this.child.send({ type: 'run', ...request } satisfies ParentMessage);
    const m = await this.next();
    if (m.type !== 'done') throw new Error('slack bench: unexpected message from the client');
    return m;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    await exited;
  }
}

async function bareBolt(apiUrl: string): Promise<{ port: number; url: string; stop: () => Promise<unknown> }> {
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
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop() };
}

/**
 * Time from a request reaching the HTTP server on `port` to the ack's last byte being handed to the
 * socket, from Node's own HTTP diagnostics channels (the adapter's server is Bolt's, not ours).
 */
function timeInServer(port: number): number[] {
  const times: number[] = [];
  const started = new WeakMap<object, number>();
  const ours = (m: unknown) => (m as { socket: Socket }).socket.localPort === port;
  diagnostics.subscribe('http.server.request.start', (m) => {
    if (ours(m)) started.set((m as { response: object }).response, performance.now());
  });
  diagnostics.subscribe('http.server.response.finish', (m) => {
    const at = started.get((m as { response: object }).response);
    if (ours(m) && at !== undefined) times.push(performance.now() - at);
  });
  return times;
}

interface Measured {
  acks: number[];
  answers: number[];
  inServer: number[];
}

const empty = (): Measured => ({ acks: [], answers: [], inServer: [] });

export const slackEndToEnd: Section = {
  title: 'Slack end to end (signed slash command → ack)',
  async run(log) {
    const plan = cpuPlan();
    const client = new Client({ secret: SECRET, team: TEAM, user: LINKED_USER, commands: COMMANDS, warmup: WARMUP }, plan?.client);
    if (plan) pinSelf(plan.bot);
    const ready = await client.next();
    if (ready.type !== 'ready') throw new Error('slack bench: the client did not start');
    const fx = await setUp();
    const slack = createSlackApp({ bot: fx.bot, signingSecret: SECRET, botToken: BOT_TOKEN, port: 0, slackApiUrl: ready.apiUrl, logger: silentLogger });
    const { port } = await slack.start();
    const bare = await bareBolt(ready.apiUrl);
    const fullServer = timeInServer(port!);
    const bareServer = timeInServer(bare.port);
    try {
      const rows: (string | number)[][] = [];
      for (const gapMs of [IDLE_GAP_MS, 0]) {
        const full = empty();
        const floor = empty();
        for (let round = 0; round < ROUNDS; round++) {
          const warm = round > 0 || gapMs !== IDLE_GAP_MS;
          const before = [fullServer.length, bareServer.length];
          const f = await client.run({ url: `http://127.0.0.1:${port}/slack/events`, waitForAnswer: true, gapMs, samples: PER_ROUND, warm });
          const b = await client.run({ url: bare.url, waitForAnswer: false, gapMs, samples: PER_ROUND, warm });
          full.acks.push(...f.acks);
          full.answers.push(...f.answers);
          floor.acks.push(...b.acks);
          // The server-side times of the warm-up commands are the first ones recorded in a round.
          full.inServer.push(...fullServer.slice(before[0]).slice(-PER_ROUND));
          floor.inServer.push(...bareServer.slice(before[1]).slice(-PER_ROUND));
        }
        const real = summarize(full.acks);
        const base = summarize(floor.acks);
        const inReal = summarize(full.inServer);
        const inBase = summarize(floor.inServer);
        const answer = summarize(full.answers);
        const label = gapMs ? `${gapMs} ms after the previous answer` : 'the moment the previous answer arrives';
        log(`  ${label}: ack ${ms(real.p50)}/${ms(real.p99)}, bare ${ms(base.p50)}/${ms(base.p99)}; in server ${ms(inReal.p50)}/${ms(inReal.p99)}, bare ${ms(inBase.p50)}/${ms(inBase.p99)}`);
        const target = gapMs ? 'p99 ≤ 1.5× bare, < 300 ms' : '(shown, no target)';
        const ok = gapMs ? (real.p99 / base.p99 <= 1.5 && real.p99 < 300 ? 'yes' : '**no**') : '';
        rows.push([`ack, sent ${label}`, ms(real.p50), ms(real.p99), ms(base.p50), ms(base.p99), ratio(real.p50, base.p50), ratio(real.p99, base.p99), target, ok]);
        rows.push([`… of which inside the HTTP server`, ms(inReal.p50), ms(inReal.p99), ms(inBase.p50), ms(inBase.p99), ratio(inReal.p50, inBase.p50), ratio(inReal.p99, inBase.p99), '', '']);
        rows.push([`answer at response_url`, ms(answer.p50), ms(answer.p99), '', '', '', '', '', '']);
      }
      return [
        `${ROUNDS * PER_ROUND} slash commands per app and mode (cycling through ${COMMANDS.map((c) => `\`${c}\``).join(', ')}) after ${WARMUP} unmeasured ones, one at a time, over keep-alive HTTP on 127.0.0.1, ` +
          `in ${ROUNDS} rounds alternating between the adapter and the bare app; embedded database in memory with the shipped plan. ` +
          (plan ? `Client and Slack stand-in in their own process on CPU ${plan.client}, the bot on CPU ${plan.bot}, as Slack is on another machine.` : 'Client and Slack stand-in in their own process (one CPU: not pinned, so they compete with the bot).'),
        `The target row sends each command ${IDLE_GAP_MS} ms after the previous answer, as people do. The back-to-back row sends it the moment the answer arrives, while the adapter is still finishing the previous command on the same thread, ` +
          'so the request waits for it. "Inside the HTTP server" is the part from the request reaching the server to the ack being written, from Node\'s HTTP diagnostics channels.',
        '',
        table(['what', 'p50 ms', 'p99 ms', 'bare Bolt p50', 'bare Bolt p99', 'p50 / bare', 'p99 / bare', 'target', 'met'], rows),
      ].join('\n');
    } finally {
      await bare.stop();
      await slack.stop();
      await fx.database.close();
      await client.stop();
      if (plan) pinSelf(`0-${cpus().length - 1}`);
    }
  },
};
