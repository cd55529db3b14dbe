import type { ReactNode } from 'react';

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card">
      <header>
        <h2>{title}</h2>
        <div className="actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export function Table<T>({
  rows,
  columns,
  empty = '暂无数据',
  testId,
}: {
  rows: T[];
  columns: [string, (row: T) => ReactNode][];
  empty?: string;
  testId?: string;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {columns.map(([h]) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="empty">
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are shown in the order the API answers
            <tr key={i}>
              {columns.map(([h, cell]) => (
                <td key={h}>{cell(row)}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function ErrorLine({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="error">{error instanceof Error ? error.message : String(error)}</p>;
}

export function StorePicker({
  stores,
  value,
  onChange,
  allowAll = false,
}: {
  stores: { id: string; code: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  allowAll?: boolean;
}) {
  return (
    <label>
      门店{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="store-picker">
        {allowAll && <option value="">全部门店</option>}
        {stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
