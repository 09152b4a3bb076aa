import type { ReactNode } from 'react';

/** A row of an admin list: config-file rows are read-only, admin (`api`) rows get actions. */
interface AdminRow {
  id: string;
  origin: string;
}

/**
 * The table of an admin list: the given columns, then "Source" (config file or admin) and the
 * actions of the admin's own rows. `dataKey` names the row attribute tests and styles use
 * (`data-goal`, `data-event`).
 */
export function AdminTable<R extends AdminRow>({
  columns,
  rows,
  dataKey,
  cells,
  actions,
}: {
  columns: readonly string[];
  rows: readonly R[];
  dataKey: 'goal' | 'event';
  cells: (row: R) => readonly ReactNode[];
  actions: (row: R) => ReactNode;
}) {
  return (
    <table className="admin-table">
      <thead>
        <tr>
          {[...columns, 'Source'].map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-origin={row.origin} {...{ [`data-${dataKey}`]: row.id }}>
            {cells(row).map((cell, i) => (
              <td key={columns[i]}>{cell}</td>
            ))}
            <td>{row.origin === 'config' ? 'config file' : 'admin'}</td>
            <td>{row.origin === 'api' && actions(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
