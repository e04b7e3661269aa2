// node-cron drives a tick (every minute by default): plan what is due for every partnership, then
// deliver the outbox, forget chat deliveries older than a day. Ticks never overlap; stop() lets the
// running one finish.
import cron, { type ScheduledTask } from 'node-cron';
import type { Bot, Logger } from '../core/bot.ts';
import { silentLogger } from '../core/bot.ts';
import { pruneDeliveryClaims } from '../persistence/delivery-claims.ts';
import type { Delivery, Dispatcher } from './dispatcher.ts';
import { Planner, type PlanOptions, type PlanResult } from './planner.ts';

export interface TickResult {
  planned: PlanResult['created'];
  stale: PlanResult['stale'];
  deliveries: Delivery[];
}

export async function planAll(bot: Bot, logger: Logger = silentLogger, options: PlanOptions = {}): Promise<Pick<TickResult, 'planned' | 'stale'>> {
  const planned: TickResult['planned'] = [];
  const stale: TickResult['stale'] = [];
  for (const partnership of await bot.db.partnership.findMany({ orderBy: { createdAt: 'asc' } })) {
    const result = await new Planner(bot.systemContext(partnership), options).plan();
    planned.push(...result.created);
    stale.push(...result.stale);
  }
  for (const s of stale) logger.info('skipped stale notification', { key: s.key, reason: s.reason });
  return { planned, stale };
}

export class Scheduler {
  private task: ScheduledTask | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly bot: Bot,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger = silentLogger,
    /** Told after each tick how long it took and how many notifications are still pending (metrics). */
    private readonly onTick?: (ms: number, pending: number) => void,
  ) {}

  async tick(): Promise<TickResult> {
    const started = performance.now();
    const { planned, stale } = await planAll(this.bot, this.logger, this.dispatcher.planOptions());
    const deliveries = await this.dispatcher.dispatchDue();
    await pruneDeliveryClaims(this.bot.db);
    if (this.onTick) this.onTick(performance.now() - started, await this.bot.db.outboxMessage.count({ where: { status: 'pending' } }));
    return { planned, stale, deliveries };
  }

  start(expression = '* * * * *'): void {
    this.task = cron.schedule(expression, () => this.runOnce());
    // Catch up at once on start-up rather than waiting for the first minute.
    this.runOnce();
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.tick()
      .catch((e: unknown) => this.logger.error('tick failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.running = null;
      });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.dispatcher.stop();
    await this.running;
  }
}
