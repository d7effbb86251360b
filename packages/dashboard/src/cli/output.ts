// How admin commands print results: a table for people, or one JSON document for scripts (--json).
// The JSON is the same shape the HTTP API answers with (its DTOs), so scripts can use either.
import type { CliIo } from "./io.js";

/** A column: its heading and how a row shows in it. */
export interface Column<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
}

/** One JSON document on one line. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value));
}

/** Left-aligned columns two spaces apart; a dash for an empty cell; "(none)" for no rows. */
export function printTable<T>(io: CliIo, columns: Column<T>[], rows: readonly T[]): void {
  if (rows.length === 0) {
    io.out("(none)");
    return;
  }
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? "").length)),
  );
  const render = (line: string[]) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  io.out(render(columns.map((column) => column.header)));
  for (const line of cells) io.out(render(line));
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  // Names come from users: a control character must not rewrite the terminal.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return String(value).replace(/[\u0000-\u001f\u007f]/g, "?");
}

/** Prints `value` as JSON with --json, else `human` (a sentence on stderr, so stdout stays clean). */
export function report(io: CliIo, json: boolean | undefined, value: unknown, human: string): void {
  if (json) printJson(io, value);
  else io.err(human);
}
