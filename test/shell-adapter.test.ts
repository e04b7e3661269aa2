// The terminal session through the Adapter interface the process uses for every platform: started,
// it answers each line through Bot.handle; its transport prints notifications into the session; it
// ends when the input does, or when stopped.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShellAdapter } from '../adapters/shell/index.ts';
import { reply, text } from '../src/core/reply.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture();
});
afterAll(async () => {
  await f?.db.drop();
});

function session() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  const shell = createShellAdapter({ bot: f.bot, input, output, person: null, interactive: false });
  return { shell, input, shown: () => shown };
}

describe('the shell as an adapter', () => {
  it('answers each line once started, and finishes when the input ends', async () => {
    const { shell, input, shown } = session();
    expect(shell.name).toBe('shell');
    expect(shell.isReady()).toBe(false);
    await shell.start();
    expect(shell.isReady()).toBe(true);
    input.end('plenary list\n');
    await shell.finished;
    expect(shown()).toContain('> plenary list');
    expect(shown()).toMatch(/P5/);
  });

  it('prints what its transport delivers, and stop() ends a session whose input stays open', async () => {
    const { shell, shown } = session();
    await shell.start();
    await shell.transport.sendDm('person:alex', reply('Nudge', [text('A1.2 is due on Friday')]));
    await shell.transport.postChannel({ platform: 'shell', workspaceId: 'local', channelId: 'secretariat' }, reply('Escalation', [text('A1.3 is overdue')]));
    expect(shown()).toContain('→ DM person:alex\n  == Nudge ==\n  A1.2 is due on Friday');
    expect(shown()).toContain('→ channel secretariat');
    await shell.stop();
    await shell.finished;
    expect(shell.isReady()).toBe(false);
  });
});
