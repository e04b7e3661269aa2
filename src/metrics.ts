// Prometheus metrics. Instruments live per registry (tests and benchmarks use their own); the
// scheduler and the CLI use the process-wide `metricsRegistry` through the plain functions below, so
// they need no handle passed around.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BotDeps } from './core/bot.ts';

export const metricsRegistry = new Registry();

export type NotificationOutcome = 'sent' | 'failed' | 'late' | 'skipped';

interface Instruments {
  commands: Counter<'command' | 'platform' | 'outcome'>;
  commandSeconds: Histogram<'command'>;
  notifications: Counter<'kind' | 'outcome'>;
  outboxDepth: Gauge;
  tickSeconds: Histogram;
}

const byRegistry = new WeakMap<Registry, Instruments>();

// Chat commands answer in milliseconds; the tail up to Slack's 3 s ack deadline is what matters.
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function instruments(registry: Registry): Instruments {
  let found = byRegistry.get(registry);
  if (!found) {
    const registers = [registry];
    found = {
      commands: new Counter({ name: 'partnerbot_commands_total', help: 'Commands answered, by command, platform and outcome', labelNames: ['command', 'platform', 'outcome'], registers }),
      commandSeconds: new Histogram({ name: 'partnerbot_command_duration_seconds', help: 'Time from receiving a command to its reply', labelNames: ['command'], buckets: COMMAND_BUCKETS, registers }),
      notifications: new Counter({ name: 'partnerbot_notifications_total', help: 'Notifications by kind and outcome (sent, failed, late, skipped)', labelNames: ['kind', 'outcome'], registers }),
      outboxDepth: new Gauge({ name: 'partnerbot_outbox_pending', help: 'Outbox messages waiting to be delivered', registers }),
      tickSeconds: new Histogram({ name: 'partnerbot_scheduler_tick_duration_seconds', help: 'Duration of one scheduler tick', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers }),
    };
    byRegistry.set(registry, found);
  }
  return found;
}

/** Process metrics (CPU, RSS, event-loop lag, GC); only for long-running services. */
export function collectProcessMetrics(registry: Registry = metricsRegistry): void {
  collectDefaultMetrics({ register: registry });
}

/** The Bot's `onCommand` hook, counting and timing every answered command. */
export function commandObserver(registry: Registry = metricsRegistry): NonNullable<BotDeps['onCommand']> {
  const { commands, commandSeconds } = instruments(registry);
  return ({ command, platform, outcome, ms }) => {
    commands.inc({ command, platform, outcome });
    commandSeconds.observe({ command }, ms / 1000);
  };
}

export function recordNotification(kind: string, outcome: NotificationOutcome, registry: Registry = metricsRegistry): void {
  instruments(registry).notifications.inc({ kind, outcome });
}

export function setOutboxDepth(pending: number, registry: Registry = metricsRegistry): void {
  instruments(registry).outboxDepth.set(pending);
}

export function observeTick(ms: number, registry: Registry = metricsRegistry): void {
  instruments(registry).tickSeconds.observe(ms / 1000);
}
