// Splits a typed command line like a shell would, so `agenda add "Budget 2026" --minutes 10` and
// Slack's smart quotes (“…”) both work. People type apostrophes ("Let's", "Partners' meeting"), so a
// single quote only quotes when it opens a word (or the value of --name=) and a matching one closes a
// word later on; any other single quote is just text.
import { UserError } from './errors.ts';

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '„': '“' };
const SINGLE = new Set(["'", '‘']);

/** Where the single quote opening at `from` closes: before whitespace or the end of the line; -1 if nowhere. */
function closingSingleQuote(chars: string[], from: number, closing: string): number {
  for (let i = from + 1; i < chars.length; i++) {
    if (chars[i] === closing && (i + 1 === chars.length || /\s/.test(chars[i + 1]!))) return i;
  }
  return -1;
}

export function tokenize(line: string): string[] {
  const chars = [...line];
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closing: string | null = null;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (closing) {
      if (ch === closing || (closing === '“' && ch === '”')) closing = null;
      else current += ch;
      continue;
    }
    if (QUOTES[ch] !== undefined) {
      const opensValue = !inToken || /^--[\w-]+=$/.test(current);
      if (SINGLE.has(ch) && (!opensValue || closingSingleQuote(chars, i, QUOTES[ch]!) < 0)) {
        current += ch;
        inToken = true;
        continue;
      }
      closing = QUOTES[ch]!;
      inToken = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    current += ch;
    inToken = true;
  }
  if (closing) throw new UserError('A quotation mark is not closed.', 'Put text with spaces in "double quotes".');
  if (inToken) tokens.push(current);
  return tokens;
}
