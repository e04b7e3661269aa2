import { formatFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date.ts';

const toDate = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

/** A fuzzy date as the `when*` columns of an activity, output or meeting. */
export function whenColumnsFor(d: FuzzyDate) {
  return {
    whenKind: d.kind,
    whenStart: toDate(d.start),
    whenEnd: toDate(d.end),
    whenTentative: d.tentative,
    whenText: formatFuzzyDate(d),
  };
}
