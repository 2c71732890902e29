import type { ReactNode } from 'react';

export type Column = {
  label: string;
  numeric?: boolean;
  /** Left out on a small screen; its cells need the `data-table__optional` class too. */
  optional?: boolean;
};

type DataTableProps = {
  /** Names the table for screen readers; shown only with `showCaption`. */
  caption: string;
  showCaption?: boolean;
  columns: Column[];
  className?: string;
  /** Marks rows still from the previous page while the next one loads. */
  busy?: boolean;
  /** The rows. */
  children: ReactNode;
};

/** A table that scrolls sideways on its own on a small screen, not the whole page. */
export function DataTable({
  caption,
  showCaption = false,
  columns,
  className,
  busy,
  children,
}: DataTableProps) {
  return (
    <div className="table-scroll">
      <table className={className ? `data-table ${className}` : 'data-table'} aria-busy={busy}>
        <caption className={showCaption ? 'data-table__caption' : 'visually-hidden'}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={columnClass(column)}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function columnClass(column: Column): string | undefined {
  const classes = [
    column.numeric && 'data-table__number',
    column.optional && 'data-table__optional',
  ].filter(Boolean);
  return classes.length ? classes.join(' ') : undefined;
}
