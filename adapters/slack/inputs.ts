// A button's inputs, collected in a modal, become `--name=value` options on its command line, so
// they pass through the same parser, validation and permission check as typed options.
import type { ViewStateValue } from '@slack/bolt';
import { withOptions } from '../../src/core/command-line.ts';
import type { ButtonInput } from '../../src/core/reply.ts';

type StateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;

/** The submitted value of one input, or undefined when an optional one was left empty. */
function valueOf(input: ButtonInput, state: StateValues): string | undefined {
  const v = state[input.name]?.[input.name];
  if (!v) return input.kind === 'boolean' ? 'false' : undefined;
  if (input.kind === 'date') return v.selected_date ?? undefined;
  if (input.kind === 'boolean') return v.selected_options?.length ? 'true' : 'false';
  // Checkboxes, or a text field where there was nothing to tick.
  if (input.kind === 'choices') return v.selected_options ? v.selected_options.map((o) => o.value).join(' ') : (v.value ?? undefined);
  return v.value ?? undefined;
}

export function commandWithInputs(command: string, inputs: ButtonInput[], state: StateValues): string {
  return withOptions(
    command,
    inputs.flatMap((input) => {
      const value = valueOf(input, state);
      return value === undefined ? [] : [{ name: input.name, value }];
    }),
  );
}
