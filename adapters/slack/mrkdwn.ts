// Slack mrkdwn text: escaping, the inline model rendered as mrkdwn, and cutting text to Slack's size
// limits without ever breaking an entity (&amp;) or a bot-made token (<@U1>, <url|label>) in two.
import { plainText, type Inline, type RichText } from '../../src/core/reply.ts';

/**
 * Slack reads only &, < and > as control characters in mrkdwn; escaping them is enough to keep user
 * text from becoming <!channel>, <!here>, <@U…> or a link. "@everyone" typed as text stays text.
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Link targets: a "|" or ">" inside the URL would end the token early, so they are percent-encoded. */
function escapeUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

function isSafeUrl(url: string): boolean {
  return /^(https?:|mailto:)/i.test(url);
}

function inlineToMrkdwn(part: Inline): string {
  if (typeof part === 'string') return escapeMrkdwn(part);
  if (part.kind === 'mention') {
    const id = part.ids['slack'];
    // Only real Slack user ids become mentions; anything else would let data smuggle in <!channel>.
    return id && /^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(`@${part.name}`);
  }
  if (!isSafeUrl(part.url)) return escapeMrkdwn(`${part.label} (${part.url})`);
  return `<${escapeUrl(part.url)}|${escapeMrkdwn(part.label)}>`;
}

export function richToMrkdwn(rich: RichText): string {
  return rich.map(inlineToMrkdwn).join('');
}

/** Fallback text for notifications: plain, escaped, no mentions (a notification must not ping twice). */
export function richToFallback(rich: RichText): string {
  return escapeMrkdwn(plainText(rich));
}

/** The largest cut ≤ max that does not fall inside an &entity; or a <…> token. */
function safeCut(s: string, max: number): number {
  let cut = Math.min(max, s.length);
  const lt = s.lastIndexOf('<', cut - 1);
  if (lt >= 0 && s.indexOf('>', lt) >= cut) cut = lt;
  const amp = s.lastIndexOf('&', cut - 1);
  if (
    // Stryker disable next-line all: an entity is never cut at a limit under 5, where alone an amp of -1 or 0 would matter (and both then give cut ≤ 0, "no safe cut")
    amp >= 0 &&
    // Stryker disable next-line EqualityOperator: the entities we write (&amp; &lt; &gt;) are 4-5 long, so 5 after the "&" is past their ";"
    cut - amp <= 5 &&
    s.indexOf(';', amp) >= cut
  )
    cut = amp;
  return cut;
}

/** Splits at line breaks (or spaces) into pieces of at most `max` characters; nothing is dropped. */
export function splitMrkdwn(s: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = safeCut(rest, max);
    else cut = safeCut(rest, cut);
    // A token longer than max (a huge link) cannot be kept whole: cut it rather than loop forever.
    if (cut <= 0) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** For single strings that have a hard limit (headers, button labels): cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = safeCut(s, max - 1);
  return `${s.slice(0, cut > 0 ? cut : max - 1)}…`;
}
