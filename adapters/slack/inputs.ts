// A button's inputs, collected in a modal, become `--name=value` options on its command line, so
// they pass through the same parser, validation and permission check as typed options.
import type { ViewStateValue } from '@slack/bolt';
import type { ButtonInput } from '../../src/core/reply.ts';

type StateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;

/** Quotes a value for the core tokenizer, which knows no escapes: pick a quote the value lacks. */
export function quote(value: string): string {
  const pairs: [string, string][] = [['"', '"'], ["'", "'"], ['‘', '’'], ['“', '”']];
  const pair = pairs.find(([, close]) => !value.includes(close));
  // Every closing quote is in the value: straight double quotes become typographic ones.
  return pair ? `${pair[0]}${value}${pair[1]}` : `"${value.replace(/"/g, '”')}"`;
}

/** The submitted value of one input, or undefined when an optional one was left empty. */
function valueOf(input: ButtonInput, state: StateValues): string | undefined {
  const v = state[input.name]?.[input.name];
  if (!v) return input.kind === 'boolean' ? 'false' : undefined;
  if (input.kind === 'date') return v.selected_date ?? undefined;
  if (input.kind === 'boolean') return v.selected_options?.length ? 'true' : 'false';
  return v.value ?? undefined;
}

export function commandWithInputs(command: string, inputs: ButtonInput[], state: StateValues): string {
  let line = command;
  for (const input of inputs) {
    const value = valueOf(input, state);
    // The `=` form keeps a value that starts with "--" from being read as another option.
    if (value !== undefined && value !== '') line += ` --${input.name}=${quote(value)}`;
  }
  return line;
}
