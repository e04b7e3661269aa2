// What a chat platform (Slack, Discord, the terminal shell, …) provides to the process. An adapter
// only translates: inbound messages become Invocations for Bot.handle, and Replies go out through
// the platform. The process that assembles the adapters knows nothing else about them.
import type { Config } from '../config.ts';
import type { Transport } from '../delivery/transport.ts';
import type { Bot, Logger } from './bot.ts';
import type { CommandRegistry } from './registry.ts';

export interface Adapter {
  /** The platform's name, as stored with chat identities and channel bindings ("slack"). */
  readonly name: string;
  /** Connects; from then on every inbound message runs through Bot.handle. Rejects when it cannot connect. */
  start(): Promise<void>;
  /** Disconnects; safe to call whether or not start() finished. */
  stop(): Promise<void>;
  /** For /readyz: true when connected; false, or an error saying why, when not. */
  isReady(): boolean | Promise<boolean>;
  /** How the scheduler's dispatcher reaches people and channels on this platform. */
  readonly transport: Transport;
}

export interface AdapterDeps {
  bot: Bot;
  logger: Logger;
  config: Config;
}

/** What a platform's own subcommand (`partnerbot discord register`) may use and write. */
export interface PlatformCommandDeps {
  config: Config;
  registry: CommandRegistry;
  /** The subcommand's output (standard output). */
  print(text: string): void;
  /** A line for the operator (standard error). */
  say(line: string): void;
}

/**
 * A platform the process may run, exported as `platform` by `adapters/<name>/platform.ts`, where the
 * process finds it. That module stays light: the platform's SDK is imported inside `create` (and
 * `command`), so a process loads only the SDKs of the platforms it runs.
 */
export interface ChatPlatform {
  readonly name: string;
  /** Whether the configuration asks for this platform (its credentials are set). */
  configured(config: Config): boolean;
  create(deps: AdapterDeps): Promise<Adapter>;
  /**
   * Set when the platform holds no connection open (e-mail: one SMTP session a message), so a one-off
   * `partnerbot tick` delivers through it too; the other platforms' notices are printed by a tick.
   */
  readonly deliversFromTick?: boolean;
  /** `partnerbot <name> ARGS…`: the platform's own subcommands; rejects with a UsageError on bad ARGS. */
  command?(argv: string[], deps: PlatformCommandDeps): Promise<void>;
}

/** A platform subcommand was called wrongly; the message says how to call it. */
export class UsageError extends Error {}
