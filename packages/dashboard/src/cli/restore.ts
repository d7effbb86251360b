// `wgfleet restore FILE [--dry-run] [--passphrase-file F] [--json]`: a backup into an empty data dir
// or database (DATABASE_URL, as serve uses it), whatever engine it came from (see backup/).
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type RestoreSummary, restoreBackup } from "../backup/index.js";
import { readPassphrase } from "./backup.js";
import { ADMIN_OPTIONS, DATA_FLAGS_HELP, parseFlags, storeTargetOf } from "./common.js";
import { type CliIo, UsageError } from "./io.js";

export const RESTORE_HELP = `Usage:
  wgfleet restore FILE [--dry-run] [--passphrase-file FILE] [--json]

Restores a backup made by \`wgfleet backup\` into an empty target: the database serve would use
(DATABASE_URL, else SQLite in the data dir) and the data dir's secret.key. A SQLite backup restores
into PostgreSQL and back. The whole file is checked before anything is written; a target that holds
data is refused.

Options:
  --dry-run               check the file and the target, load it into a throwaway database, write nothing
  --passphrase-file FILE  the passphrase the backup was made with (first line of FILE)
  --json                  print the summary as JSON
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  "dry-run": { type: "boolean" },
  "passphrase-file": { type: "string" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(RESTORE_HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError("restore: missing FILE (the backup to restore)");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const summary = await restoreBackup({
    file,
    passphrase: readPassphrase(values["passphrase-file"]),
    target: storeTargetOf(values, io.env),
    dryRun: values["dry-run"] === true,
  });
  printSummary(summary, values.json === true, io);
  return 0;
}

function printSummary(summary: RestoreSummary, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify(summary));
    return;
  }
  const rows = Object.values(summary.counts).reduce((sum, count) => sum + count, 0);
  const tables = Object.keys(summary.counts).length;
  const what = `${rows} rows of ${tables} tables (${summary.sourceEngine} backup of ${summary.createdAt})`;
  io.out(
    summary.dryRun
      ? `dry run: ${what} would restore into ${summary.target}; nothing written`
      : `restored ${what} into ${summary.target}`,
  );
  for (const [table, count] of Object.entries(summary.counts)) if (count > 0) io.out(`  ${table}: ${count}`);
}
