// The backup file, format v1: gzip'ed JSON lines. Line 1 is the header (what, when, from which engine
// and schema, how many rows, the secret key); then, table by table in dependency order, a table line
// naming its columns followed by one JSON array per row; the last line is the end marker with the row
// total, so a truncated file is told apart from a complete one.

export const BACKUP_FORMAT = "wgfleet-backup";
export const BACKUP_FORMAT_VERSION = 1;

/** The secret key (what decrypts the `_enc` columns): in clear, or wrapped under a passphrase. */
export type BackupKey =
  | { kind: "clear"; key: string }
  | {
      kind: "passphrase";
      kdf: "scrypt";
      n: number;
      r: number;
      p: number;
      salt: string;
      iv: string;
      tag: string;
      data: string;
    };

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  engine: "sqlite" | "postgres";
  /** The migrations applied to the database backed up, oldest first. */
  migrations: string[];
  /** Tables in the order their rows follow (parents before children). */
  tables: string[];
  counts: Record<string, number>;
  secretKey: BackupKey;
}

export interface TableLine {
  table: string;
  columns: string[];
}

export interface EndLine {
  end: true;
  rows: number;
}

export type Cell = string | number | null;

/** A file that is not a complete, well-formed backup this version can read. */
export class BackupFormatError extends Error {
  override name = "BackupFormatError";
}

/** The passphrase does not open the file's key (or the file has no passphrase and one is needed). */
export class BackupPassphraseError extends Error {
  override name = "BackupPassphraseError";
}
