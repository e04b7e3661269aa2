// The section-4 monitoring table as a file the secretariat can paste into a report (Markdown) or
// open in a spreadsheet (CSV).
import type { Partnership } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import { describeFuzzyDate } from '../domain/fuzzy-date.ts';
import type { Activity } from '@prisma/client';
import { count } from '../core/count.ts';
import { effectiveTiming } from '../domain/effective-window.ts';
import { coLeaderNames, deadlineOf, governanceText, outputTiming, STATUS_LABEL, type WhenRow } from '../domain/plan.ts';

export const MONITORING_COLUMNS = ['Action', 'Co-leaders', 'Governance level', 'Deadline', 'State of play', 'Progress'] as const;

export type MonitoringRow = Record<(typeof MONITORING_COLUMNS)[number], string>;

// Stryker disable all: the rows come from the database and are checked by the export tests on it;
// mutation testing covers the writers below, which keep user text from breaking the file.
export async function monitoringRows(db: Db, partnership: Partnership, today: string): Promise<MonitoringRow[]> {
  const actions = await db.action.findMany({
    where: { partnershipId: partnership.id },
    include: { roles: { include: { organisation: true, person: true }, orderBy: { id: 'asc' } }, activities: true, outputs: true },
    orderBy: { number: 'asc' },
  });
  return actions.map((a) => {
    const lateOutputs = a.outputs.filter((o) => outputTiming(o, today) === 'overdue').length;
    const byStatus = new Map<string, number>();
    for (const o of a.outputs) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const outputs = [...byStatus].map(([s, n]) => `${n} ${STATUS_LABEL[s] ?? s}`).join(', ') || 'none';
    const statePlay = a.statePlay
      ? `${a.statePlay}${a.statePlaySetAt ? ` (${a.statePlaySetBy ?? 'someone'}, ${a.statePlaySetAt.toISOString().slice(0, 10)})` : ''}`
      : '';
    return {
      Action: `A${a.number} ${a.title}`,
      'Co-leaders': coLeaderNames(a).join(' and '),
      'Governance level': governanceText(a.governanceLevels),
      Deadline: describeFuzzyDate(deadlineOf(a)),
      'State of play': statePlay,
      Progress: `${activityProgress(a.activities, today)}; outputs: ${outputs}${lateOutputs ? ` (${lateOutputs} overdue)` : ''}`,
    };
  });
}

/** "1/3 activities and 4/13 steps done, 2 overdue": an Action's steps are not activities of their own. */
export function activityProgress(all: (WhenRow & Pick<Activity, 'id' | 'parentId' | 'status'>)[], today: string): string {
  const activities = all.filter((x) => !x.parentId);
  const steps = all.filter((x) => x.parentId);
  const done = (rows: typeof all) => rows.filter((x) => x.status === 'done').length;
  const overdue = all.filter((x) => effectiveTiming(x, all, today) === 'overdue').length;
  const stepsDone = steps.length ? ` and ${done(steps)}/${count(steps.length, 'step')}` : '';
  return `${done(activities)}/${count(activities.length, 'activity', 'activities')}${stepsDone} done, ${overdue} overdue`;
}
// Stryker restore all

/**
 * A cell a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -2+3, @SUM) is prefixed with a
 * quote (OWASP "CSV injection"); tab and carriage return start formulas in some spreadsheets too.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180: quote a cell holding a quote, comma, semicolon (European Excel's separator) or line break. */
export function csvCell(value: string): string {
  const cell = neutraliseFormula(value);
  return /[",;\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function toCsv(rows: MonitoringRow[]): string {
  const lines = [MONITORING_COLUMNS.map(csvCell), ...rows.map((r) => MONITORING_COLUMNS.map((c) => csvCell(r[c])))];
  // The byte-order mark makes Excel read UTF-8 (accented organisation names) instead of the local code page.
  return '\uFEFF' + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

/** A pipe or a line break in user text would break the table; HTML in it must stay text. */
function mdCell(value: string): string {
  const cell = value
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/([\\|`*_[\]<>])/g, '\\$1')
    .trim();
  return cell || '—';
}

export function toMarkdown(title: string, rows: MonitoringRow[]): string {
  return [
    `# ${title}`,
    '',
    `| ${MONITORING_COLUMNS.join(' | ')} |`,
    `|${MONITORING_COLUMNS.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${MONITORING_COLUMNS.map((c) => mdCell(r[c])).join(' | ')} |`),
    '',
  ].join('\n');
}
