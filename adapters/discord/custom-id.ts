// A button carries its whole command in its custom id, so a click works after a restart and needs no
// server-side state. Buttons that first ask for values also carry the names and kinds of those values.
//
//   pb:milestone done A1.3                        run the command
//   pbi:dwhen=New date,tnote;milestone move A1.3  open a modal asking for a date and a note, then run it
//   pbm:dwhen=New date,tnote;milestone move A1.3  the modal's own id, read back on submission
// Input labels are included when they fit; otherwise the modal falls back to the option names.
import type { Button, ButtonInput } from '../../src/core/reply.ts';

const CUSTOM_ID_MAX = 100;

const KIND_CODES: Record<ButtonInput['kind'], string> = { date: 'd', text: 't', boolean: 'b', choices: 'c' };
const CODE_KINDS: Record<string, ButtonInput['kind']> = { d: 'date', t: 'text', b: 'boolean', c: 'choices' };

export interface ModalRequest {
  command: string;
  inputs: { name: string; kind: ButtonInput['kind']; label?: string }[];
}

export type ParsedCustomId =
  | { type: 'run'; command: string }
  | ({ type: 'ask' | 'submit' } & ModalRequest);

function encodeInputs(inputs: ModalRequest['inputs'], withLabels: boolean): string {
  return inputs
    .map((i) => `${KIND_CODES[i.kind]}${i.name}${withLabels && i.label && !/[,;=]/.test(i.label) ? `=${i.label}` : ''}`)
    .join(',');
}

function withModal(prefix: 'pbi' | 'pbm', request: ModalRequest): string | undefined {
  for (const withLabels of [true, false]) {
    const id = `${prefix}:${encodeInputs(request.inputs, withLabels)};${request.command}`;
    if (id.length <= CUSTOM_ID_MAX) return id;
  }
  return undefined;
}

/** The custom id for a button, or undefined when the command is too long to fit in one. */
export function buttonCustomId(button: Button): string | undefined {
  if (button.inputs?.length) return withModal('pbi', { command: button.command, inputs: button.inputs });
  const id = `pb:${button.command}`;
  return id.length <= CUSTOM_ID_MAX ? id : undefined;
}

/** Fits whenever the button's id did: the two differ only in their prefix. */
export function modalCustomId(request: ModalRequest): string {
  return withModal('pbm', request)!;
}

export function parseCustomId(id: string): ParsedCustomId | undefined {
  if (id.startsWith('pb:')) return { type: 'run', command: id.slice(3) };
  const m = /^pb([im]):([^;]*);(.*)$/s.exec(id);
  if (!m) return undefined;
  const inputs = m[2]!
    .split(',')
    .filter(Boolean)
    .map((code) => {
      const [name = '', label] = code.slice(1).split('=');
      return { name, kind: CODE_KINDS[code[0]!], ...(label ? { label } : {}) };
    })
    .filter((i): i is ModalRequest['inputs'][number] => i.kind !== undefined && /^[\w-]+$/.test(i.name));
  return { type: m[1] === 'i' ? 'ask' : 'submit', command: m[3]!, inputs };
}

