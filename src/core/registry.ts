// The one list of commands. Adapters, help and Discord's command registration all read it.
import type { CommandDef } from './command.ts';
import { UserError } from './errors.ts';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/**
 * A topic gathers command families (commands sharing a first word) under one name, for platforms that
 * cap how many commands one entry point holds (Discord: /plenary agenda add).
 */
export interface Topic {
  name: string;
  summary: string;
  /** First words of the commands it holds: "agenda" holds "agenda add", "agenda show"... */
  families: string[];
}

export class CommandRegistry {
  private readonly byName = new Map<string, CommandDef>();

  constructor(
    readonly commands: CommandDef[],
    readonly topics: Topic[] = [],
  ) {
    for (const c of commands) {
      for (const name of [c.name, ...(c.aliases ?? [])]) {
        if (this.byName.has(name)) throw new Error(`command name "${name}" declared twice`);
        this.byName.set(name, c);
      }
    }
  }

  get(name: string): CommandDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Finds the command a token list starts with ("milestone add ..." before "milestone ..."). */
  match(tokens: string[]): { def: CommandDef; rest: string[] } {
    const [first = '', second = ''] = tokens.map((t) => t.toLowerCase());
    const two = this.byName.get(`${first} ${second}`);
    if (two && second) return { def: two, rest: tokens.slice(2) };
    const one = this.byName.get(first);
    if (one) return { def: one, rest: tokens.slice(1) };
    const group = this.commands.filter((c) => c.name.startsWith(`${first} `));
    // "agenda" alone means "agenda show": reading is the safe default of a group.
    const show = this.byName.get(`${first} show`);
    if (show && (!second || second.startsWith('--'))) return { def: show, rest: tokens.slice(1) };
    if (group.length > 0) {
      throw new UserError(
        second ? `"${first}" has no subcommand "${second}".` : `"${first}" needs a subcommand.`,
        `Try: ${group.map((c) => c.name).join(', ')}`,
      );
    }
    const names = [...this.byName.keys()];
    const close = names.filter((n) => distance(n, first) <= 2).slice(0, 3);
    throw new UserError(
      `Unknown command "${first}".`,
      close.length ? `Did you mean ${close.map((n) => `"${n}"`).join(' or ')}? Type "help" for all commands.` : 'Type "help" for all commands.',
    );
  }

  /** The topic a command's family belongs to; undefined for the families no topic lists. */
  topicOf(def: CommandDef): Topic | undefined {
    const head = def.name.split(' ')[0]!;
    return this.topics.find((t) => t.families.includes(head));
  }

  /** Commands grouped by their first word, for Discord subcommand groups and help. */
  groups(): Map<string, CommandDef[]> {
    const groups = new Map<string, CommandDef[]>();
    for (const c of this.commands) {
      const head = c.name.split(' ')[0]!;
      groups.set(head, [...(groups.get(head) ?? []), c]);
    }
    return groups;
  }
}
