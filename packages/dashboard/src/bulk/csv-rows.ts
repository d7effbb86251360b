// Reading and writing a peer CSV: csv-parse reads (quoted fields may hold commas, quotes and newlines;
// the name check refuses control characters afterwards), each record with the line it starts on; the
// export quotes every field that needs it.
import { type CsvRowError, ValidationError } from "@wgfleet/core";
import { CsvError, parse } from "csv-parse/sync";

export interface CsvRecord {
  /** The line the record starts on (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export interface ParsedCsv {
  columns: string[];
  records: CsvRecord[];
}

/** The file's records; a file csv-parse cannot read is a CsvRowsError naming the line. */
export function parseCsv(text: string): ParsedCsv {
  let columns: string[] = [];
  try {
    const rows = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        columns = header.map((c) => c.trim());
        return columns;
      },
      info: true,
      raw: true,
      skip_empty_lines: true,
    }) as Array<{ record: Record<string, string>; info: { lines: number }; raw: string }>;
    return {
      columns,
      records: rows.map((row) => ({ line: startLine(row.raw, row.info.lines), values: row.record })),
    };
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      throw new CsvRowsError([{ line, field: "csv", message: error.message.replace(/ on line \d+$/, "") }]);
    }
    throw error;
  }
}

/** csv-parse tells the line a record ends on; a quoted field may have spanned several. */
function startLine(raw: string, endLine: number): number {
  const body = raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

/** A CSV text of these rows under `columns`. */
export function formatCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return [columns, ...rows]
    .map((row) => row.map(csvField).join(","))
    .join("\r\n")
    .concat("\r\n");
}

/** A field quoted when it must be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A free-text cell a spreadsheet would run as a formula (=, +, -, @ first) led by an apostrophe, so
 * opening the export never runs anything; the import takes the apostrophe off again.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

/** An import with bad rows: 400, every row's error in `rows`. */
export class CsvRowsError extends ValidationError {
  constructor(readonly rows: CsvRowError[]) {
    const first = rows[0];
    super(
      "csv",
      `${rows.length} error(s); line ${first?.line ?? 1}, ${first?.field ?? "csv"}: ${first?.message ?? "invalid"}`,
    );
  }

  override toBody() {
    return { ...super.toBody(), rows: this.rows };
  }
}
