import { formatFuzzyDate, isoDayToDate, type FuzzyDate } from '../domain/fuzzy-date.ts';

/** A day column's value: null stays null (an undated item). */
export const dayColumn = (iso: string | null): Date | null => (iso ? isoDayToDate(iso) : null);

/** A fuzzy date as the `when*` columns of an activity, output or meeting. */
export function whenColumnsFor(d: FuzzyDate) {
  return {
    whenKind: d.kind,
    whenStart: dayColumn(d.start),
    whenEnd: dayColumn(d.end),
    whenTentative: d.tentative,
    whenText: formatFuzzyDate(d),
  };
}
