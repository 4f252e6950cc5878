// The sort-key range of items ordered `<ISO time>#<id>`, newest first: from an instant
// (inclusive), to an instant (exclusive) and below a cursor (an order key, exclusive), as a key
// condition on `#sk`. Alerts and recordings are kept this way.

export interface TimeOrderedRange {
  from?: string | undefined;
  to?: string | undefined;
  /** An order key: only items strictly below it. */
  before?: string | undefined;
}

export interface SortKeyCondition {
  /** " AND #sk …", or '' for the whole partition. */
  condition: string;
  values: Record<string, string>;
  /** Nothing can match (the range is empty). */
  empty: boolean;
}

/** The greatest string that sorts below `key` closely enough for an inclusive upper bound. */
function justBelow(key: string): string {
  const last = key.charCodeAt(key.length - 1);
  return `${key.slice(0, -1)}${String.fromCharCode(last - 1)}\uffff`;
}

export function sortKeyCondition(range: TimeOrderedRange): SortKeyCondition {
  // `to#` sorts above every key of an item made before `to`, and below every one made at it.
  const upper = [range.before, range.to === undefined ? undefined : `${range.to}#`].filter((key) => key !== undefined).sort()[0];
  const lower = range.from;
  if (upper !== undefined && lower !== undefined) {
    // BETWEEN is inclusive: the upper bound steps just below `before`/`to#`.
    return {
      condition: ' AND #sk BETWEEN :lower AND :upper',
      values: { ':lower': lower, ':upper': justBelow(upper) },
      empty: lower >= upper,
    };
  }
  if (upper !== undefined) return { condition: ' AND #sk < :upper', values: { ':upper': upper }, empty: false };
  if (lower !== undefined) return { condition: ' AND #sk >= :lower', values: { ':lower': lower }, empty: false };
  return { condition: '', values: {}, empty: false };
}
