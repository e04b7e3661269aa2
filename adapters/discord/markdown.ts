// Turns the core's plain text into Discord markdown that shows exactly what was typed: user text can
// never become formatting, a link, a role or user mention, or an @everyone ping.
import type { Mention, RichText } from '../../src/core/reply.ts';

const ZERO_WIDTH_SPACE = '\u200b';

/** Characters that start or end markup anywhere on a line (Discord accepts a backslash before any of them). */
const INLINE_MARKUP = /[\\*_~`|[\]<>]/g;
/** Markup that only counts at the start of a line: headings, subtext, quotes, list items. */
const LINE_START_MARKUP = /^(\s*)(#|-|\+|>|(\d+)\.)/gm;

export function escapeText(text: string): string {
  return text
    .replace(INLINE_MARKUP, '\\$&')
    .replace(LINE_START_MARKUP, (_all, space: string, marker: string, digits?: string) =>
      digits === undefined ? `${space}\\${marker}` : `${space}${digits}\\.`,
    )
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

/** For places Discord shows literally (embed footers, modal labels): no markdown, but still no pings. */
export function neutralise(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

const SNOWFLAKE = /^\d{1,20}$/;

/** The Discord user id of a deliberate mention, if the core knows one (and it looks like one). */
function discordIdOf(part: Mention): string | undefined {
  const id = part.ids['discord'];
  return id && SNOWFLAKE.test(id) ? id : undefined;
}

function safeUrl(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  // Characters that would end the markdown link early are percent-encoded; the URL stays the same.
  return url.replace(/[\s()<>[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Renders a run of inline content; deliberate mentions become real mentions, collected in `mentioned`. */
export function renderRich(rich: RichText, mentioned: Set<string>): string {
  return rich
    .map((part) => {
      if (typeof part === 'string') return escapeText(part);
      if (part.kind === 'mention') {
        const id = discordIdOf(part);
        if (!id) return escapeText(`@${part.name}`);
        mentioned.add(id);
        return `<@${id}>`;
      }
      const url = safeUrl(part.url);
      return url ? `[${escapeText(part.label)}](${url})` : escapeText(`${part.label} (${part.url})`);
    })
    .join('');
}

/** Cuts to `max` characters with an ellipsis; never leaves a dangling escape backslash. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${withoutDanglingEscape(text.slice(0, max - 1))}…`;
}

function withoutDanglingEscape(text: string): string {
  const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
  return trailing % 2 === 1 ? text.slice(0, -1) : text;
}

/**
 * Splits text into pieces of at most `max` characters, at a line break if there is one in the
 * second half of the window, else at a space, else anywhere (never inside an escape).
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = withoutDanglingEscape(window).length;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
