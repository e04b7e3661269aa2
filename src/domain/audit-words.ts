// Audit entries in words. The log keeps fields as JSON ({status: "planned"}); people read
// "status: planned → done" in history and "P5 agenda: item 3 'AOB' added by Laura Meijer" in the digest.
import type { AuditEntry } from '@prisma/client';
import { describeFuzzyDate, parseFuzzyDate } from './fuzzy-date.ts';
import { STATUS_LABEL } from './plan.ts';

type Values = Record<string, unknown>;
type Entry = Pick<AuditEntry, 'entityType' | 'entityCode' | 'verb' | 'actorLabel' | 'before' | 'after'>;

const FIELD_LABEL: Record<string, string> = { statePlay: 'state of play' };

/** The verb already names these fields: "status: planned → done", not "status: status: ...". */
const VERB_FIELD: Record<string, string> = { status: 'status', moved: 'when', 'state of play': 'statePlay', link: 'link' };

const asValues = (v: unknown): Values => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Values) : {});

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'status' && typeof value === 'string') return STATUS_LABEL[value] ?? value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** "status: planned → done", "title: A → B, date: 2025-12 → 2026-01", "title: X" (added). */
export function auditDelta(e: Pick<Entry, 'verb' | 'before' | 'after'>): string {
  const before = asValues(e.before);
  const after = asValues(e.after);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .map((f) => {
      const label = fields.length === 1 && VERB_FIELD[e.verb] === f ? '' : `${FIELD_LABEL[f] ?? f}: `;
      if (f in before && f in after) return `${label}${valueText(f, before[f])} → ${valueText(f, after[f])}`;
      return `${label}${valueText(f, f in after ? after[f] : before[f])}`;
    })
    .join(', ');
}

/** A canonical date as people read it ("2026-01" → "January 2026"); anything else as written. */
function dateWords(value: unknown): string {
  try {
    return describeFuzzyDate(parseFuzzyDate(String(value)));
  } catch {
    return valueText('when', value);
  }
}

/** One line of the digest's "Changed in the last 7 days". */
export function describeChange(e: Entry): string {
  const before = asValues(e.before);
  const after = asValues(e.after);
  const by = `by ${e.actorLabel}`;
  const code = e.entityCode;
  if (e.entityType === 'agenda item') {
    const item = e.verb === 'removed' ? before : after;
    const what = e.verb === 'reordered' ? `item ${valueText('', before.position)} moved to position ${valueText('', after.position)}` : `item ${valueText('', item.position)} '${valueText('', item.title)}' ${e.verb}`;
    return `${code} agenda: ${what} ${by}`;
  }
  // A work-plan import that only changed a date moved the item, as "milestone move" does.
  const verb = e.verb === 'changed' && Object.keys(after).join() === 'when' && Object.keys(before).join() === 'when' ? 'moved' : e.verb;
  switch (verb) {
    case 'status':
      return `${code} ${valueText('status', before.status)} → ${valueText('status', after.status)}, ${by}`;
    case 'moved':
      return `${code} moved from ${dateWords(before.when)} to ${dateWords(after.when)} ${by}`;
    case 'added':
      return `${code} '${valueText('', after.title ?? after.name ?? after.label)}'${after.when ? ` (${dateWords(after.when)})` : ''} added ${by}`;
    case 'link':
      return `${code} link set to ${valueText('link', after.link)} ${by}`;
    case 'state of play':
      return `${code} state of play updated ${by}: '${valueText('', after.statePlay)}'`;
    case 'decision recorded':
      return `${code} decision recorded ${by}: '${valueText('', after.text)}'`;
    default: {
      const delta = auditDelta(e);
      return `${code} ${e.verb} ${by}${delta ? `: ${delta}` : ''}`;
    }
  }
}
