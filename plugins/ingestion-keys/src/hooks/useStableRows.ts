import { useMemo, useRef } from 'react';

/** What a row is without the `tableData` that material-table writes into each row object. */
function contentOf(rows: object[]): string {
  return JSON.stringify(rows, (field, value) =>
    field === 'tableData' ? undefined : value,
  );
}

/**
 * The rows to give a Backstage (material-table) table that holds its rows itself: sorted in
 * their default order by `compare`, and the very same array as last time when a reload brought
 * the same rows.
 *
 * The table rebuilds its state whenever its `data` differs from the previous render's, and then
 * re-applies a column's `defaultSort`, which threw away the reader's own sort and page, and
 * logged material-table's "columns … contain functions" warning. So the default order is given
 * by the data rather than by `defaultSort`, and an unchanged reload is no change at all.
 */
export function useStableRows<T extends object>(
  rows: T[],
  compare: (a: T, b: T) => number,
): T[] {
  const sorted = useMemo(() => [...rows].sort(compare), [rows, compare]);
  const shown = useRef(sorted);
  if (
    shown.current !== sorted &&
    contentOf(shown.current) !== contentOf(sorted)
  ) {
    shown.current = sorted;
  }
  return shown.current;
}
