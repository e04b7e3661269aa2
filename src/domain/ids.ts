// Short human ids: A1 (Action 1), A1.3 (its third activity), A1.3.2 (step 2 of it), A1.O2 (its second
// output), P4 (fourth plenary), M2 (second other meeting). Case-insensitive when typed.
import { UserError } from '../core/errors.ts';

export type ItemRef =
  | { type: 'action'; action: number; code: string }
  | { type: 'activity'; action: number; code: string }
  | { type: 'output'; action: number; code: string }
  | { type: 'meeting'; code: string };

/** Natural order for codes, so A1.10 comes after A1.9 (one collator: making one per comparison is slow). */
export const compareCodes = new Intl.Collator('en', { numeric: true }).compare;

export const ID_FORMS = 'A1 (Action), A1.3 (activity), A1.3.2 (step), A1.O2 (output), P4 (plenary), M2 (meeting)';

export function parseRef(input: string): ItemRef {
  const text = input.trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = /^A(\d{1,3})$/.exec(text))) return { type: 'action', action: +m[1]!, code: `A${+m[1]!}` };
  if ((m = /^A(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text)))
    return { type: 'activity', action: +m[1]!, code: `A${+m[1]!}.${+m[2]!}${m[3] ? `.${+m[3]}` : ''}` };
  if ((m = /^A(\d{1,3})\.O(\d{1,3})$/.exec(text))) return { type: 'output', action: +m[1]!, code: `A${+m[1]!}.O${+m[2]!}` };
  if ((m = /^([PM])(\d{1,3})$/.exec(text))) return { type: 'meeting', code: `${m[1]}${+m[2]!}` };
  throw new UserError(`"${input}" is not an id I know.`, `Ids look like ${ID_FORMS}.`);
}

export function parseActionRef(input: string): number {
  const ref = parseRef(/^\d+$/.test(input.trim()) ? `A${input.trim()}` : input);
  if (ref.type === 'meeting') throw new UserError(`"${input}" is not an Action.`, 'Actions are A1, A2, ...');
  return ref.action;
}

/** The Action an activity or output id belongs to, as "A1": what its permission check needs. */
export function actionOfItem(id: string): string {
  const ref = parseRef(id);
  if (ref.type === 'meeting') throw new UserError(`${ref.code} is not an activity or output.`, `Ids look like ${ID_FORMS}.`);
  return `A${ref.action}`;
}

export const activityCode = (action: number, seq: number, parentSeq?: number) =>
  parentSeq === undefined ? `A${action}.${seq}` : `A${action}.${parentSeq}.${seq}`;
export const outputCode = (action: number, seq: number) => `A${action}.O${seq}`;
export const meetingCode = (kind: string, seq: number) => `${kind === 'plenary' ? 'P' : 'M'}${seq}`;
