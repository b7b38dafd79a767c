/** Shortens text to `width` characters, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export type Column<T> = { header: string; value: (row: T) => string; align?: 'left' | 'right'; maxWidth?: number };

/** A plain-text table: a header row, then one line per row, columns two spaces apart. */
export function formatTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row).replace(/\s+/g, ' ');
      return column.maxWidth ? truncate(value, column.maxWidth) : value;
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => Array.from(row[i]!).length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const pad = widths[i]! - Array.from(value).length;
        return columns[i]!.align === 'right' ? `${' '.repeat(pad)}${value}` : i === values.length - 1 ? value : `${value}${' '.repeat(pad)}`;
      })
      .join('  ');
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** A date as "2025-11-25 14:03" in the local time zone. */
export function formatDate(date: Date | null | undefined): string {
  if (!date) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
