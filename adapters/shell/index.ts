// The shell adapter's public surface: the terminal session as an Adapter. Its transport prints
// notifications into the session, where the operator sees them.
import type { Adapter } from '../../src/core/adapter.ts';
import type { Reply } from '../../src/core/reply.ts';
import { renderText } from '../../src/delivery/plain-text.ts';
import { runShell, type ShellOptions } from './shell.ts';

export { runShell, type ShellOptions } from './shell.ts';

export interface ShellAdapter extends Adapter {
  /** Resolves when the operator quits or the input ends; rejects if the session failed. */
  readonly finished: Promise<void>;
}

export function createShellAdapter(options: Omit<ShellOptions, 'signal'>): ShellAdapter {
  const stopping = new AbortController();
  let session: Promise<void> | undefined;
  let resolveFinished!: () => void;
  let rejectFinished!: (e: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    resolveFinished = resolve;
    rejectFinished = reject;
  });
  const show = (to: string, reply: Reply) => void options.output.write(`→ ${to}\n${renderText(reply).replace(/^/gm, '  ')}\n`);
  return {
    name: 'shell',
    finished,
    transport: {
      platform: 'shell',
      sendDm: async (userId, reply) => show(`DM ${userId}`, reply),
      postChannel: async (target, reply) => show(`channel ${target.channelId}`, reply),
    },
    async start() {
      session ??= runShell({ ...options, signal: stopping.signal }).then(resolveFinished, rejectFinished);
    },
    async stop() {
      stopping.abort();
      await session;
    },
    isReady: () => session !== undefined && !stopping.signal.aborted,
  };
}
