// The real `partnerbot` executable as a long-running service: spawned with only the settings a test
// gives it (no chat platform or database server leaks in from the developer's environment), its JSON
// log lines collected as they arrive, and stopped with SIGTERM as an orchestrator would.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningPartnerbot {
  child: ChildProcess;
  /** The JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Standard output so far. */
  stdout(): string;
  /** The port a "<name> listening" log line announced, once it has. */
  portOf(name: 'http' | 'ops'): number | undefined;
  /** The first log line with this message; rejects, with the log, if the process exits first. */
  logged(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'NODE_OPTIONS'];

export function spawnPartnerbot(args: string[], settings: Record<string, string>): RunningPartnerbot {
  const env = Object.fromEntries(INHERITED.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])));
  const child = spawn(process.execPath, ['bin/partnerbot.mjs', ...args], { env: { ...env, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let out = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) logs.push(line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : { msg: line });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    stdout: () => out,
    portOf: (name) => logs.find((l) => l.msg === `${name} listening`)?.port as number | undefined,
    async logged(msg, timeoutMs) {
      for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        const line = logs.find((l) => l.msg === msg);
        if (line) return line;
        if (child.exitCode !== null) throw new Error(`partnerbot exited (${child.exitCode}) before logging "${msg}": ${JSON.stringify(logs)}`);
      }
      throw new Error(`partnerbot did not log "${msg}" within ${timeoutMs} ms: ${JSON.stringify(logs)}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
