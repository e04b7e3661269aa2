// Draws a GanttModel as SVG text, laid out like Annex 2 of the work plan: quarters and months
// across, plenaries in a top row, one row per Action and activity. Plain string building: the same
// text renders in a browser, in resvg for chat, and in tests without a DOM.
import { DateTime } from 'luxon';
import type { BarState, GanttModel, GanttRow } from './model.ts';
import { monthsBetween } from './model.ts';

export const FONT_FAMILY = 'DejaVu Sans';

// Sized so the PNG posted in chat (≥ 1600 px wide) is readable without zooming.
const FONT = 14;
const PAD = 24;
const LABEL_W = 560;
const MIN_CHART_W = 1100;
const ROW_H = 26;
const BAR_H = 16;
const HEADER_ROW_H = 24;
const PLENARY_ROW_H = 34;
const STEP_INDENT = 22;
// DejaVu Sans averages about 0.58 em per character; labels are cut to what fits their column.
const CHAR_W = FONT * 0.58;

export const STATE_STYLE: Record<BarState, { colour: string; label: string }> = {
  done: { colour: '#2e7d32', label: 'Done' },
  overdue: { colour: '#c62828', label: 'Overdue' },
  ongoing: { colour: '#1565c0', label: 'Ongoing' },
  upcoming: { colour: '#64b5f6', label: 'Upcoming' },
  cancelled: { colour: '#9e9e9e', label: 'Cancelled' },
  undated: { colour: '#757575', label: 'No date yet' },
};
const TODAY_COLOUR = '#e65100';
const INK = '#212121';
const MUTED = '#616161';

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function truncate(label: string, width: number): string {
  const max = Math.floor(width / CHAR_W);
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

const attrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? +v.toFixed(2) : escapeXml(v)}"`)
    .join(' ');
const el = (name: string, a: Record<string, string | number>, body?: string) =>
  body === undefined ? `<${name} ${attrs(a)}/>` : `<${name} ${attrs(a)}>${body}</${name}>`;
const label = (x: number, y: number, content: string, extra: Record<string, string | number> = {}) =>
  el('text', { x, y, 'font-size': FONT, fill: INK, ...extra }, escapeXml(content));

/** Maps calendar days to x positions over whole months from `from` to `to`. */
class Scale {
  readonly months: number;
  readonly monthW: number;
  readonly start: DateTime;
  constructor(readonly from: string, to: string, readonly left: number) {
    this.months = monthsBetween(from, to);
    this.monthW = Math.max(40, Math.ceil(MIN_CHART_W / this.months));
    this.start = DateTime.fromISO(`${from}-01`, { zone: 'utc' });
  }
  get width(): number {
    return this.months * this.monthW;
  }
  /** x of the start of `isoDay` (fractional within its month), unclamped. */
  x(isoDay: string): number {
    const d = DateTime.fromISO(isoDay, { zone: 'utc' });
    const month = (d.year - this.start.year) * 12 + (d.month - this.start.month);
    return this.left + (month + (d.day - 1) / d.daysInMonth!) * this.monthW;
  }
  /** x just after `isoDay` ends: windows are drawn up to the end of their last day. */
  xAfter(isoDay: string): number {
    return this.x(DateTime.fromISO(isoDay, { zone: 'utc' }).plus({ days: 1 }).toISODate()!);
  }
  clamp(x: number): number {
    return Math.min(Math.max(x, this.left), this.left + this.width);
  }
  month(i: number): DateTime {
    return this.start.plus({ months: i });
  }
}

function patterns(): string {
  // Tentative items are hatched in their state's colour, so "tbc" reads at a glance in any state.
  return (Object.keys(STATE_STYLE) as BarState[])
    .map((s) =>
      el(
        'pattern',
        { id: `tbc-${s}`, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        el('rect', { width: 8, height: 8, fill: '#ffffff' }) + el('rect', { width: 4, height: 8, fill: STATE_STYLE[s].colour, 'fill-opacity': 0.55 }),
      ),
    )
    .join('');
}

function bar(x1: number, x2: number, y: number, state: BarState, tentative: boolean): string {
  const { colour } = STATE_STYLE[state];
  const width = Math.max(6, x2 - x1);
  return el('rect', {
    x: x1,
    y,
    width,
    height: BAR_H,
    rx: 3,
    fill: tentative ? `url(#tbc-${state})` : colour,
    stroke: colour,
    'stroke-width': tentative ? 2 : 1,
    ...(tentative ? { 'stroke-dasharray': '5 3' } : {}),
  });
}

function diamond(cx: number, cy: number, r: number, fill: string, stroke: string, dashed: boolean): string {
  return el('path', {
    d: `M${cx.toFixed(1)} ${(cy - r).toFixed(1)} L${(cx + r).toFixed(1)} ${cy.toFixed(1)} L${cx.toFixed(1)} ${(cy + r).toFixed(1)} L${(cx - r).toFixed(1)} ${cy.toFixed(1)} Z`,
    fill,
    stroke,
    'stroke-width': 2,
    ...(dashed ? { 'stroke-dasharray': '3 2' } : {}),
  });
}

function header(scale: Scale, top: number): string {
  const parts: string[] = [];
  const monthY = top + HEADER_ROW_H;
  for (let i = 0; i < scale.months; i++) {
    const m = scale.month(i);
    const x = scale.left + i * scale.monthW;
    parts.push(label(x + scale.monthW / 2, monthY + 17, m.toFormat(scale.monthW >= 60 ? 'LLL yy' : 'LLL'), { 'text-anchor': 'middle', fill: MUTED }));
    const startsQuarter = (m.month - 1) % 3 === 0;
    if (startsQuarter || i === 0) {
      const remaining = Math.min(3 - ((m.month - 1) % 3), scale.months - i);
      const w = remaining * scale.monthW;
      parts.push(el('rect', { x, y: top, width: w, height: HEADER_ROW_H, fill: m.quarter % 2 ? '#eceff1' : '#dde3e8', stroke: '#b0bec5' }));
      const text = w >= 90 ? `Q${m.quarter} ${m.year}` : w >= 40 ? `Q${m.quarter}` : '';
      if (text) parts.push(label(x + w / 2, top + 17, text, { 'text-anchor': 'middle', 'font-weight': 'bold' }));
    }
  }
  return parts.join('');
}

function grid(scale: Scale, top: number, bottom: number): string {
  const lines: string[] = [];
  for (let i = 0; i <= scale.months; i++) {
    const m = scale.month(i);
    const x = scale.left + i * scale.monthW;
    const stroke = m.month === 1 ? '#78909c' : (m.month - 1) % 3 === 0 ? '#b0bec5' : '#e0e0e0';
    lines.push(el('line', { x1: x, y1: top, x2: x, y2: bottom, stroke, 'stroke-width': m.month === 1 ? 1.5 : 1 }));
  }
  return lines.join('');
}

function rowLabel(row: GanttRow, y: number): string {
  const indent = row.kind === 'step' ? STEP_INDENT : row.kind === 'activity' ? 8 : 0;
  const text = truncate(`${row.code} ${row.title}`, LABEL_W - indent - 12);
  return label(PAD + indent, y + 18, text, row.kind === 'action' ? { 'font-weight': 'bold' } : row.kind === 'step' ? { fill: MUTED } : {});
}

function rowGraphics(row: GanttRow, y: number, scale: Scale): string {
  const parts: string[] = [];
  if (!row.firstDay || !row.lastDay) {
    parts.push(label(scale.left + 6, y + 18, 'date TBD', { fill: MUTED, 'font-style': 'italic' }));
    return parts.join('');
  }
  const x1 = scale.clamp(scale.x(row.firstDay));
  const x2 = scale.clamp(scale.xAfter(row.lastDay));
  const visible = scale.xAfter(row.lastDay) > scale.left && scale.x(row.firstDay) < scale.left + scale.width;
  if (row.kind === 'action') {
    // The span of the Action's activities as a bracket; its deadline as a dark diamond.
    if (visible) {
      parts.push(el('rect', { x: x1, y: y + 10, width: Math.max(2, x2 - x1), height: 6, fill: '#455a64' }));
      parts.push(el('rect', { x: x1, y: y + 10, width: 3, height: 12, fill: '#455a64' }), el('rect', { x: x2 - 3, y: y + 10, width: 3, height: 12, fill: '#455a64' }));
    }
    if (row.deadline) {
      const dx = scale.xAfter(row.deadline);
      if (dx >= scale.left && dx <= scale.left + scale.width) parts.push(diamond(dx, y + ROW_H / 2, 8, INK, INK, false));
    }
    return parts.join('');
  }
  if (!visible) {
    const earlier = scale.x(row.firstDay) < scale.left;
    parts.push(label(earlier ? scale.left + 6 : scale.left + scale.width - 6, y + 18, earlier ? '◀ earlier' : 'later ▶', { fill: MUTED, 'text-anchor': earlier ? 'start' : 'end' }));
    return parts.join('');
  }
  parts.push(bar(x1, x2, y + (ROW_H - BAR_H) / 2, row.state, row.tentative));
  if (row.note && x2 < scale.left + scale.width) parts.push(label(x2 + 6, y + 18, `${row.note} ▶`, { fill: MUTED, 'font-style': 'italic' }));
  return parts.join('');
}

function legend(x: number, y: number): string {
  const parts: string[] = [];
  let cx = x;
  const item = (graphic: string, text: string) => {
    parts.push(graphic, label(cx + 30, y + 13, text));
    cx += 30 + text.length * CHAR_W + 26;
  };
  for (const s of ['done', 'ongoing', 'upcoming', 'overdue', 'cancelled'] as BarState[]) item(bar(cx, cx + 24, y, s, false), STATE_STYLE[s].label);
  item(bar(cx, cx + 24, y, 'upcoming', true), 'Tentative (tbc)');
  item(diamond(cx + 12, y + 8, 7, '#7b1fa2', '#7b1fa2', false), 'Plenary');
  item(diamond(cx + 12, y + 8, 7, INK, INK, false), 'Action deadline');
  item(el('line', { x1: cx + 12, y1: y - 4, x2: cx + 12, y2: y + 20, stroke: TODAY_COLOUR, 'stroke-width': 2, 'stroke-dasharray': '6 4' }), 'Today');
  return parts.join('');
}

export function renderGanttSvg(model: GanttModel): { svg: string; width: number; height: number } {
  const scale = new Scale(model.from, model.to, PAD + LABEL_W);
  const width = Math.ceil(PAD + LABEL_W + scale.width + PAD);
  const headerTop = 92;
  const plenaryTop = headerTop + 2 * HEADER_ROW_H;
  const rowsTop = plenaryTop + PLENARY_ROW_H;
  const rowsBottom = rowsTop + model.rows.length * ROW_H;
  const legendTop = rowsBottom + 28;
  const height = legendTop + 44;

  const body: string[] = [];
  body.push(el('rect', { width, height, fill: '#ffffff' }));
  body.push(label(PAD, 40, model.title, { 'font-size': 22, 'font-weight': 'bold' }));
  body.push(label(PAD, 66, model.subtitle, { 'font-size': 15, fill: MUTED }));

  // Row backgrounds first, so grid lines and bars sit on top of them.
  model.rows.forEach((row, i) => {
    const y = rowsTop + i * ROW_H;
    const fill = row.kind === 'action' ? '#e3eaf2' : i % 2 ? '#fafafa' : '#ffffff';
    body.push(el('rect', { x: PAD, y, width: width - 2 * PAD, height: ROW_H, fill }));
  });
  body.push(el('rect', { x: PAD, y: plenaryTop, width: width - 2 * PAD, height: PLENARY_ROW_H, fill: '#f3e5f5' }));
  body.push(header(scale, headerTop));
  body.push(grid(scale, plenaryTop, rowsBottom));

  body.push(label(PAD, plenaryTop + 22, 'Plenaries', { 'font-weight': 'bold' }));
  for (const p of model.plenaries) {
    const cx = (scale.x(p.firstDay) + scale.xAfter(p.lastDay)) / 2;
    if (cx < scale.left || cx > scale.left + scale.width) continue;
    // A plenary whose date is not confirmed is drawn hollow with a dashed edge.
    body.push(diamond(cx, plenaryTop + PLENARY_ROW_H / 2, 9, p.tentative ? '#ffffff' : '#7b1fa2', '#7b1fa2', p.tentative));
    const nearEdge = cx + 40 > scale.left + scale.width;
    body.push(label(nearEdge ? cx - 12 : cx + 12, plenaryTop + 22, p.code, { fill: '#4a148c', 'font-weight': 'bold', 'text-anchor': nearEdge ? 'end' : 'start' }));
  }

  model.rows.forEach((row, i) => {
    const y = rowsTop + i * ROW_H;
    body.push(el('g', { 'data-code': row.code, 'data-state': row.state }, rowLabel(row, y) + rowGraphics(row, y, scale)));
  });
  body.push(el('line', { x1: PAD, y1: rowsBottom, x2: width - PAD, y2: rowsBottom, stroke: '#b0bec5' }));

  const todayX = scale.x(model.today) + scale.monthW / DateTime.fromISO(model.today).daysInMonth! / 2;
  if (todayX >= scale.left && todayX <= scale.left + scale.width) {
    body.push(el('line', { x1: todayX, y1: headerTop - 8, x2: todayX, y2: rowsBottom, stroke: TODAY_COLOUR, 'stroke-width': 2, 'stroke-dasharray': '6 4' }));
    body.push(label(todayX + 4, headerTop - 10, `Today ${DateTime.fromISO(model.today).toFormat('d LLL yyyy')}`, { fill: TODAY_COLOUR, 'font-weight': 'bold' }));
  }
  body.push(legend(PAD, legendTop));

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" ${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': `${FONT_FAMILY}, sans-serif` })}>` +
    `<defs>${patterns()}</defs>${body.join('')}</svg>`;
  return { svg, width, height };
}
