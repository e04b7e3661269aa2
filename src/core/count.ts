// "1 item", "3 items": a count with its noun agreeing, for every sentence the bot writes.

/** `n` and the noun, singular for exactly one; `plural` for nouns that do not just add an "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
