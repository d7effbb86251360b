// `wgfleet backup --out FILE [--passphrase-file F] [--json]`: a consistent snapshot of the running
// dashboard's database and its secret key (see backup/). Prints a summary; --json prints it as JSON.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type BackupSummary, openBackupSource, writeBackup } from "../backup/index.js";
import { ADMIN_OPTIONS, DATA_FLAGS_HELP, parseFlags, storeTargetOf } from "./common.js";
import { type CliIo, readTextFile, UsageError } from "./io.js";

export const BACKUP_HELP = `Usage:
  wgfleet backup --out FILE [--passphrase-file FILE] [--json]

Writes every table of the database (one consistent snapshot, safe while the dashboard runs) and the
secret key that decrypts its secrets to FILE (gzip'ed JSON lines, mode 0600). Without
--passphrase-file the key is in the file in clear: keep the file as safe as the data dir. With it, the
key is encrypted under the passphrase (scrypt + AES-256-GCM) and restore asks for it.

Options:
  --out FILE              where to write the backup (required; replaced only once complete)
  --passphrase-file FILE  encrypt the secret key under the passphrase on FILE's first line
  --json                  print the summary as JSON
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  out: { type: "string" },
  "passphrase-file": { type: "string" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

export async function backupCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(BACKUP_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.out) throw new UsageError("--out is required");
  const passphrase = readPassphrase(values["passphrase-file"]);
  const source = await openBackupSource(storeTargetOf(values, io.env));
  let summary: BackupSummary;
  try {
    summary = await writeBackup({ db: source.db, secretKey: source.secretKey, passphrase, out: values.out });
  } finally {
    await source.close();
  }
  printSummary(summary, values.json === true, io);
  return 0;
}

/** The passphrase on the file's first line; null when no file is given. */
export function readPassphrase(file: string | undefined): string | null {
  if (file === undefined) return null;
  const passphrase = readTextFile(file, "--passphrase-file").split(/\r?\n/)[0] ?? "";
  if (passphrase.length < 8)
    throw new UsageError("--passphrase-file: the passphrase must be at least 8 characters");
  return passphrase;
}

function printSummary(summary: BackupSummary, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify(summary));
  } else {
    const rows = Object.values(summary.counts).reduce((sum, count) => sum + count, 0);
    io.out(
      `backed up ${rows} rows of ${Object.keys(summary.counts).length} tables (${summary.engine}) to ${summary.file}`,
    );
  }
  if (!summary.encrypted) {
    io.err(
      `warning: ${summary.file} holds the secret key in clear; keep it as safe as the data dir (or use --passphrase-file)`,
    );
  }
}
