// The Slack side of the end-to-end benchmark, in its own thread: the stand-in for Slack's servers
// (Web API, response_url) and the client sending signed slash commands. A client sharing the bot's
// event loop could only read the ack once the bot yields (the embedded database computes on that
// thread), which would measure the benchmark, not the receiver.
import { parentPort, workerData } from 'node:worker_threads';
import { FakeSlack, sign, slashBody } from '../test/slack/fake-slack.ts';

export interface ClientData {
  secret: string;
  team: string;
  user: string;
  commands: string[];
  warmup: number;
  samples: number;
}

export type ClientMessage =
  | { type: 'ready'; apiUrl: string }
  | { type: 'done'; acks: number[]; answers: number[] };

export type ParentMessage = { type: 'run'; url: string; waitForAnswer: boolean } | { type: 'stop' };

const data = workerData as ClientData;
const port = parentPort!;
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

async function run(url: string, waitForAnswer: boolean): Promise<ClientMessage> {
  const acks: number[] = [];
  const answers: number[] = [];
  for (let i = 0; i < data.warmup + data.samples; i++) {
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
    if (i >= data.warmup) {
      acks.push(ack);
      if (at !== undefined) answers.push(at - sentAt);
    }
    if (i % 50 === 0) fake.reset();
  }
  return { type: 'done', acks, answers };
}

await fake.start();
port.postMessage({ type: 'ready', apiUrl: fake.apiUrl } satisfies ClientMessage);
port.on('message', (msg: ParentMessage) => {
  if (msg.type === 'stop') {
    void fake.stop().then(() => port.close());
    return;
  }
  run(msg.url, msg.waitForAnswer).then(
    (result) => port.postMessage(result),
    (e: unknown) => {
      throw e;
    },
  );
});
