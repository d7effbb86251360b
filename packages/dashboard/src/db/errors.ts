// Recognises constraint violations from either engine, so services can turn a lost race (two inserts
// of one address, one name) into a retry or a ConflictError without knowing which engine runs.

const SQLITE_UNIQUE_CODES = new Set(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"]);
const SQLITE_FOREIGN_KEY_CODE = "SQLITE_CONSTRAINT_FOREIGNKEY";
const PG_UNIQUE_VIOLATION = "23505";
const PG_FOREIGN_KEY_VIOLATION = "23503";

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** A UNIQUE or PRIMARY KEY constraint refused the write (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (SQLITE_UNIQUE_CODES.has(code) || code === PG_UNIQUE_VIOLATION);
}

/** A FOREIGN KEY constraint refused the write or the delete (SQLite or PostgreSQL). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  if (code === SQLITE_FOREIGN_KEY_CODE || code === PG_FOREIGN_KEY_VIOLATION) return true;
  // SQLite reports an ON DELETE RESTRICT refusal as a trigger constraint.
  return (
    code === "SQLITE_CONSTRAINT_TRIGGER" && (error as Error).message.includes("FOREIGN KEY constraint failed")
  );
}
