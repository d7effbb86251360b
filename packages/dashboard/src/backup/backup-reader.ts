// Reads a backup file line by line and checks its shape as it goes: the header first, then each table
// of the header's list in order with exactly its counted rows, then the end marker. Anything else —
// not gzip, not JSON, a newer format, a missing or extra line — is a BackupFormatError with one line
// saying what is wrong.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { migrations as knownMigrations } from "../db/migrations/index.js";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupFormatError,
  type BackupHeader,
  type Cell,
} from "./format.js";

export type BackupEvent =
  | { kind: "header"; header: BackupHeader }
  | { kind: "table"; table: string; columns: string[] }
  | { kind: "row"; table: string; cells: Cell[] }
  | { kind: "end"; rows: number };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The file's events, checked; throws BackupFormatError at the first thing wrong. */
export async function* readBackup(file: string): AsyncGenerator<BackupEvent> {
  const lines = fileLines(file);
  const first = await lines.next();
  if (first.done) throw new BackupFormatError(`${file} is empty`);
  const header = parseHeader(first.value);
  yield { kind: "header", header };
  let total = 0;
  for (const table of header.tables) {
    const columns = parseTableLine(await nextLine(lines, `table ${table}`), table);
    yield { kind: "table", table, columns };
    for (let i = 0; i < (header.counts[table] ?? 0); i++) {
      const cells = parseRow(await nextLine(lines, `row ${i + 1} of ${table}`), table, columns.length);
      yield { kind: "row", table, cells };
    }
    total += header.counts[table] ?? 0;
  }
  const end = parseJson(await nextLine(lines, "the end marker"), "the end marker") as {
    end?: unknown;
    rows?: unknown;
  };
  if (end.end !== true || end.rows !== total) {
    throw new BackupFormatError(`the backup's rows do not match its header's counts (expected ${total})`);
  }
  if (!(await lines.next()).done) throw new BackupFormatError("the backup has lines after its end marker");
  yield { kind: "end", rows: total };
}

async function* fileLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const input = createReadStream(file);
  input.on("error", (error) => gunzip.destroy(error));
  const reader = createInterface({ input: input.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const text of reader) yield text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
      throw new BackupFormatError(`cannot read ${file} (${code})`);
    }
    if (code?.startsWith("Z_")) {
      throw new BackupFormatError(
        `${file} is not a wgfleet backup or is damaged (gzip: ${(error as Error).message})`,
      );
    }
    throw error;
  } finally {
    reader.close();
    input.destroy();
  }
}

async function nextLine(lines: AsyncGenerator<string>, what: string): Promise<string> {
  const next = await lines.next();
  if (next.done) throw new BackupFormatError(`the backup is truncated: ${what} is missing`);
  return next.value;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackupFormatError(`the backup is damaged: ${what} is not JSON`);
  }
}

function parseHeader(text: string): BackupHeader {
  let header: Partial<BackupHeader>;
  try {
    header = JSON.parse(text) as Partial<BackupHeader>;
  } catch {
    throw new BackupFormatError("not a wgfleet backup (its first line is not a backup header)");
  }
  if (header === null || typeof header !== "object" || header.format !== BACKUP_FORMAT) {
    throw new BackupFormatError("not a wgfleet backup (its first line is not a backup header)");
  }
  if (typeof header.version !== "number" || header.version > BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `the backup is format v${header.version}, made by a newer wgfleet; this one reads format v${BACKUP_FORMAT_VERSION}`,
    );
  }
  checkHeaderFields(header);
  return header as BackupHeader;
}

function checkHeaderFields(header: Partial<BackupHeader>): void {
  const bad = (field: string) => new BackupFormatError(`the backup header's ${field} is invalid`);
  if (header.engine !== "sqlite" && header.engine !== "postgres") throw bad("engine");
  if (typeof header.createdAt !== "string") throw bad("createdAt");
  if (!Array.isArray(header.migrations) || header.migrations.length === 0) throw bad("migrations");
  const unknown = header.migrations.find((name) => !(name in knownMigrations));
  if (unknown !== undefined) {
    throw new BackupFormatError(
      `the backup's schema is newer than this wgfleet (unknown migration ${unknown}); restore it with a newer version`,
    );
  }
  if (
    !Array.isArray(header.tables) ||
    !header.tables.every((t) => typeof t === "string" && IDENTIFIER.test(t))
  ) {
    throw bad("tables");
  }
  const counts = header.counts as Record<string, unknown> | undefined;
  if (typeof counts !== "object" || counts === null) throw bad("counts");
  for (const table of header.tables) {
    const count = counts[table];
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0)
      throw bad(`count of ${table}`);
  }
  const key = header.secretKey as { kind?: unknown } | undefined;
  if (key?.kind !== "clear" && key?.kind !== "passphrase") throw bad("secretKey");
}

function parseTableLine(text: string, table: string): string[] {
  const parsed = parseJson(text, `the start of table ${table}`) as { table?: unknown; columns?: unknown };
  if (parsed?.table !== table) {
    throw new BackupFormatError(`the backup is damaged: expected table ${table}, found something else`);
  }
  const columns = parsed.columns;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string" && IDENTIFIER.test(c))) {
    throw new BackupFormatError(`the backup is damaged: the columns of ${table} are invalid`);
  }
  return columns as string[];
}

function parseRow(text: string, table: string, width: number): Cell[] {
  const cells = parseJson(text, `a row of ${table}`);
  if (
    !Array.isArray(cells) ||
    cells.length !== width ||
    !cells.every((cell) => cell === null || typeof cell === "string" || typeof cell === "number")
  ) {
    throw new BackupFormatError(`the backup is damaged: a row of ${table} does not fit its columns`);
  }
  return cells as Cell[];
}
