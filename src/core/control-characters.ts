// Untrusted text may carry terminal escapes (ESC [31m), bells or NULs. Stored, they would be replayed
// into every viewer's terminal by `history` and `action`, and PostgreSQL refuses NUL in text. Newline
// and tab are ordinary text; a carriage return is a line end from another system.

// C0 controls other than tab and newline, DEL, and the C1 controls (U+0080–U+009F).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

const NAMES: Record<string, string> = { '\u0000': 'NUL', '\u0007': 'bell', '\u0008': 'backspace', '\u001b': 'escape', '\u007f': 'delete' };

/** "\r\n" and a lone "\r" become "\n". */
export const normaliseLineEnds = (text: string): string => text.replace(/\r\n?/g, '\n');

/** The first control character in `text`, described for an error message ("U+001B escape"), or null. */
export function controlCharacterIn(text: string): string | null {
  const found = CONTROL.exec(text)?.[0];
  if (found === undefined) return null;
  const code = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return NAMES[found] ? `${code} ${NAMES[found]}` : code;
}

/** For text that cannot be refused, such as a platform's display name. */
export const stripControlCharacters = (text: string): string => normaliseLineEnds(text).replace(CONTROLS, '');
