// A command is declared once — name, zod schema of its arguments, permission, help, handler — and
// runs unchanged behind the shell, Slack and Discord.
import { z } from 'zod';
import type { CommandContext } from './context.ts';
import { UserError } from './errors.ts';
import type { Reply } from './reply.ts';

/** What an argument completes to, for Discord autocomplete and help. */
export type Completion = 'action' | 'activity' | 'output' | 'item' | 'person' | 'organisation' | 'meeting';

export type Permission<A> =
  /** Read-only: anyone in a bound workspace, linked or not. */
  | 'anyone'
  /** A linked person of this partnership. */
  | 'member'
  /** The secretariat or a coordinator. */
  | 'secretariat'
  /** A co-leader of the Action the arguments name, the secretariat or a coordinator. */
  | { actionLead: (args: A) => string };

type Shape = z.ZodRawShape;

export interface CommandDef<S extends Shape = Shape> {
  /** One or two words: "due", "milestone add". */
  name: string;
  aliases?: string[];
  summary: string;
  /** Longer help; the usage line is derived from the schema. */
  help?: string;
  examples: string[];
  args: z.ZodObject<S>;
  /** Arguments that may be given without their `--name`, in this order. */
  positional?: (keyof S & string)[];
  /** The last positional takes the rest of the line (free text without quotes). */
  restPositional?: boolean;
  permission: Permission<z.infer<z.ZodObject<S>>>;
  /** Who may run it, for help, when the handler narrows the permission further ("whoever proposed it"). */
  who?: string;
  handler(ctx: CommandContext, args: z.infer<z.ZodObject<S>>): Promise<Reply>;
}

export function defineCommand<S extends Shape>(def: CommandDef<S>): CommandDef<S> {
  return def;
}

export type ArgType = 'string' | 'number' | 'boolean';

export interface ArgInfo {
  name: string;
  type: ArgType;
  required: boolean;
  description: string;
  choices?: readonly string[];
  complete?: Completion;
  positional: boolean;
}

/** Reads the schema so help, the parser and Discord's option list all come from one declaration. */
export function describeArgs(def: CommandDef): ArgInfo[] {
  const positional = def.positional ?? [];
  return Object.entries(def.args.shape).map(([name, schema]) => {
    let inner = schema as z.ZodType;
    let required = true;
    for (;;) {
      const t = inner.def.type;
      if (t === 'optional' || t === 'default') {
        required = false;
        inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
      } else if (t === 'pipe') {
        inner = (inner.def as unknown as { in: z.ZodType }).in;
      } else break;
    }
    const t = inner.def.type;
    const type: ArgType = t === 'boolean' ? 'boolean' : t === 'number' ? 'number' : 'string';
    const meta = ((schema as z.ZodType).meta() ?? inner.meta() ?? {}) as { complete?: Completion };
    return {
      name,
      type,
      required,
      description: (schema as z.ZodType).description ?? inner.description ?? name,
      ...(t === 'enum' ? { choices: (inner as z.ZodEnum).options as string[] } : {}),
      ...(meta.complete ? { complete: meta.complete } : {}),
      positional: positional.includes(name),
    };
  });
}

export function usage(def: CommandDef): string {
  const infos = describeArgs(def);
  const parts = [def.name];
  for (const name of def.positional ?? []) {
    const info = infos.find((i) => i.name === name)!;
    const shown = info.choices ? info.choices.join('|') : name;
    parts.push(info.required ? `<${shown}>` : `[${shown}]`);
  }
  for (const info of infos.filter((i) => !i.positional)) {
    const value = info.type === 'boolean' ? '' : ` <${info.choices ? info.choices.join('|') : info.name}>`;
    parts.push(info.required ? `--${info.name}${value}` : `[--${info.name}${value}]`);
  }
  return parts.join(' ');
}

const MAX_ARG_LENGTH = 2000;

/** Turns the tokens after the command name into a raw object, then validates it with the schema. */
export function parseArgs(def: CommandDef, tokens: string[]): Record<string, unknown> {
  const infos = new Map(describeArgs(def).map((i) => [i.name, i]));
  const raw: Record<string, unknown> = {};
  const free: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const flag = /^--([a-zA-Z][\w-]*)(?:=(.*))?$/s.exec(token);
    if (!flag) {
      free.push(token);
      continue;
    }
    const info = infos.get(flag[1]!);
    if (!info) throw new UserError(`"${def.name}" has no option --${flag[1]}.`, `Usage: ${usage(def)}`);
    if (info.type === 'boolean' && flag[2] === undefined) {
      const next = tokens[i + 1];
      if (next === 'true' || next === 'false') {
        raw[info.name] = next;
        i++;
      } else raw[info.name] = 'true';
      continue;
    }
    const value = flag[2] ?? tokens[++i];
    if (value === undefined) throw new UserError(`--${info.name} needs a value.`, `Usage: ${usage(def)}`);
    raw[info.name] = value;
  }
  const positional = def.positional ?? [];
  positional.forEach((name, index) => {
    if (raw[name] !== undefined) return;
    const isLast = index === positional.length - 1;
    const value = isLast && def.restPositional ? free.splice(0).join(' ') : free.shift();
    if (value !== undefined && value !== '') raw[name] = value;
  });
  if (free.length > 0) throw new UserError(`Unexpected "${free.join(' ')}".`, `Usage: ${usage(def)}`);
  return coerce(def, raw);
}

/** Adapters with typed options (Discord) hand over values directly; they pass the same validation. */
export function coerce(def: CommandDef, raw: Record<string, unknown>): Record<string, unknown> {
  const infos = new Map(describeArgs(def).map((i) => [i.name, i]));
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const info = infos.get(name);
    if (!info) throw new UserError(`"${def.name}" has no option --${name}.`, `Usage: ${usage(def)}`);
    if (typeof value === 'string' && value.length > MAX_ARG_LENGTH)
      throw new UserError(`--${name} is too long (${value.length} characters; at most ${MAX_ARG_LENGTH}).`);
    if (info.type === 'number' && typeof value === 'string') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UserError(`--${name} must be a number, not "${value}".`, `Usage: ${usage(def)}`);
      typed[name] = n;
    } else if (info.type === 'boolean' && typeof value === 'string') {
      if (value !== 'true' && value !== 'false') throw new UserError(`--${name} is yes/no, not "${value}".`);
      typed[name] = value === 'true';
    } else typed[name] = value;
  }
  const result = def.args.safeParse(typed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? '');
    const missing = issue.code === 'invalid_type' && typed[name] === undefined;
    const message = missing ? `Missing ${name}.` : `${name ? `${name}: ` : ''}${describeIssue(issue)}`;
    throw new UserError(message, `Usage: ${usage(def)}`);
  }
  return result.data as Record<string, unknown>;
}

/** Zod's words for a value out of bounds ("Too big: expected number to be <=999") in plain ones. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return issue.message;
  const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  const unit = issue.origin === 'string' ? ` character${bound === 1 ? '' : 's'}` : issue.origin === 'array' ? ` item${bound === 1 ? '' : 's'}` : '';
  const exclusive = issue.inclusive === false;
  if (issue.code === 'too_big') return `${exclusive ? 'less than' : 'at most'} ${bound}${unit}.`;
  return `${exclusive ? 'more than' : 'at least'} ${bound}${unit}.`;
}
