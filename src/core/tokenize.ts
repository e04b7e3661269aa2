// Splits a typed command line like a shell would, so `agenda add "Budget 2026" --minutes 10` and
// Slack's smart quotes (“…”) both work.
import { UserError } from './errors.ts';

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '„': '“' };

export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closing: string | null = null;
  for (const ch of line) {
    if (closing) {
      if (ch === closing || (closing === '“' && ch === '”')) closing = null;
      else current += ch;
      continue;
    }
    if (QUOTES[ch] !== undefined) {
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
