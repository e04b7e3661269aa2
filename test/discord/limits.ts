// Discord's documented message limits, checked on the JSON it would receive; a violation names itself.
import { expect } from 'vitest';

export function limitProblems(message: any): string[] {
  const problems: string[] = [];
  const embeds: any[] = message.embeds ?? [];
  const rows: any[] = message.components ?? [];
  if ((message.content ?? '').length > 2000) problems.push(`content ${message.content.length} > 2000`);
  if (embeds.length > 10) problems.push(`${embeds.length} embeds > 10`);
  let total = 0;
  for (const e of embeds) {
    if ((e.title ?? '').length > 256) problems.push(`title ${e.title.length} > 256`);
    if ((e.description ?? '').length > 4096) problems.push(`description ${e.description.length} > 4096`);
    if ((e.fields ?? []).length > 25) problems.push(`${e.fields.length} fields > 25`);
    for (const f of e.fields ?? []) {
      if (!f.name || f.name.length > 256) problems.push(`field name length ${f.name?.length}`);
      if (!f.value || f.value.length > 1024) problems.push(`field value length ${f.value?.length}`);
    }
    total += (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.author?.name ?? '').length;
    total += (e.fields ?? []).reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);
  }
  if (total > 6000) problems.push(`embeds total ${total} > 6000`);
  if (rows.length > 5) problems.push(`${rows.length} rows > 5`);
  for (const row of rows) {
    if (row.components.length > 5) problems.push(`${row.components.length} buttons in a row > 5`);
    for (const b of row.components) {
      if (b.custom_id.length > 100) problems.push(`custom_id ${b.custom_id.length} > 100`);
      if (b.label.length > 80) problems.push(`label ${b.label.length} > 80`);
    }
  }
  if (!message.content && embeds.length === 0 && rows.length === 0) problems.push('empty message');
  return problems;
}

export function expectWithinLimits(message: any): void {
  expect(limitProblems(message)).toEqual([]);
}

/** Every string a user could read in a message, for content checks. */
export function visibleText(message: any): string {
  const parts: string[] = [message.content ?? ''];
  for (const e of message.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
  }
  for (const row of message.components ?? []) for (const b of row.components) parts.push(b.label);
  return parts.join('\n');
}
