// The Slack side of the end-to-end benchmark, in its own process: the stand-in for Slack's servers
// (Web API, response_url) and the client sending signed slash commands. A client sharing the bot's
// event loop could only read the ack once the bot yields (the embedded database computes on that
// thread), and one sharing its CPU competes with the command that runs after the ack: either would
// measure the benchmark, not the receiver. Slack is on another machine; bench/slack.ts pins the two
// processes to different CPUs where it can.
import { FakeSlack, sign, slashBody } from '../test/slack/fake-slack.ts';

export interface ClientData {
  secret: string;
  team: string;
  user: string;
  commands: string[];
  warmup: number;
}

export type ClientMessage =
  | { type: 'ready'; apiUrl: string }
  | { type: 'done'; acks: number[]; answers: number[] };

export interface RunRequest {
  type: 'run';
  url: string;
  /** Waits for the reply at the response_url before the next command (the bare app sends none). */
  waitForAnswer: boolean;
  /** Pause before each command; 0 sends the next one the moment the previous answer arrives. */
  gapMs: number;
  samples: number;
  /** Skips the unmeasured warm-up commands (later rounds of an interleaved run). */
  warm: boolean;
}

export type ParentMessage = RunRequest | { type: 'stop' };

const data = JSON.parse(process.env.BENCH_SLACK_CLIENT!) as ClientData;
const send = (m: ClientMessage) => process.send!(m);
const fake = new FakeSlack();
let seq = 0;

async function answered(id: string): Promise<number> {
  for (const until = Date.now() + 10_000; Date.now() < until; ) {
    const r = fake.responsesTo(id)[0];
    if (r) return r.at;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`no answer to ${id}`);
}

async function run({ url, waitForAnswer, gapMs, samples, warm }: RunRequest): Promise<ClientMessage> {
  const acks: number[] = [];
  const answers: number[] = [];
  const warmup = warm ? 0 : data.warmup;
  for (let i = 0; i < warmup + samples; i++) {
    if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const id = `b${++seq}`;
    const text = data.commands[i % data.commands.length]!;
    const body = slashBody({ text, user_id: data.user, user_name: 'bench', team_id: data.team, team_domain: 'partners', channel_id: 'CGENERAL', channel_name: 'general', response_url: fake.responseUrl(id), trigger_id: `trig.${id}`, api_app_id: 'A1' });
    const timestamp = Math.floor(Date.now() / 1000);
    const sentAt = Date.now();
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(data.secret, timestamp, body) },
      body,
    });
    await res.arrayBuffer();
    const ack = performance.now() - started;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    // One request in flight at a time: the next starts once the previous answer has arrived.
    const at = waitForAnswer ? await answered(id) : undefined;
    if (i >= warmup) {
      acks.push(ack);
      if (at !== undefined) answers.push(at - sentAt);
    }
    if (i % 50 === 0) fake.reset();
  }
  return { type: 'done', acks, answers };
}

await fake.start();
send({ type: 'ready', apiUrl: fake.apiUrl });
process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'stop') {
    void fake.stop().then(() => process.disconnect());
    return;
  }
  run(msg).then(
    (result) => send(result),
    (e: unknown) => {
      throw e;
    },
  );
});
