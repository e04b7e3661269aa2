// A separate process that dispatches the outbox of a shared PostgreSQL database, delivering each
// message by appending its key to a file (slowly, so a test can kill it mid-way).
// Usage: tsx dispatch-worker.ts <database-url> <worker-id> <out-file> <delay-ms> <iso-now>
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixedClock } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/persistence/database.ts';
import { Dispatcher } from '../../src/scheduler/dispatcher.ts';
import type { Transport } from '../../src/delivery/transport.ts';

const [url, workerId, outFile, delay, now] = process.argv.slice(2) as [string, string, string, string, string];
const db = await openDatabase({ url }, { migrate: false });
const deliver = async (title: string) => {
  await sleep(Number(delay));
  appendFileSync(outFile, `${title}\n`);
};
const transport: Transport = {
  platform: 'file',
  sendDm: (_user, reply) => deliver(reply.title ?? ''),
  postChannel: (_target, reply) => deliver(reply.title ?? ''),
};
const dispatcher = new Dispatcher({ db: db.prisma, clock: fixedClock(new Date(now)), transports: [transport], workerId });
await dispatcher.dispatchDue(5);
await db.close();
