import { Classes, HTMLTable } from '@blueprintjs/core';
import type { ReactNode } from 'react';

/** One of the person page's lists: a compact table under its heading, or a muted line when there is nothing. */
export function PersonTable<T>({
  testId,
  columns,
  items,
  empty,
  row,
}: {
  testId: string;
  columns: readonly string[];
  items: readonly T[];
  /** What to say when there is nothing (omit: an empty table, for lists that are never empty). */
  empty?: { text: string; testId?: string };
  row(item: T): ReactNode;
}) {
  if (items.length === 0 && empty) {
    return (
      <p className={Classes.TEXT_MUTED} data-testid={empty.testId}>
        {empty.text}
      </p>
    );
  }
  return (
    <HTMLTable compact className="attest-person-table" data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>{items.map(row)}</tbody>
    </HTMLTable>
  );
}
