// Brings a database to the newest schema at start. Kysely's Migrator records what ran in
// `kysely_migration` and, on PostgreSQL, takes a lock so that several dashboard replicas starting at
// once migrate one at a time.
import { type Kysely, Migrator } from "kysely";
import { migrationProvider } from "./migrations/index.js";

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Applies every pending migration; returns the names applied now. Throws naming the failed one. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results = [] } = await migratorFor(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    const where = failed ? `migration ${failed} failed` : "cannot migrate";
    throw new Error(`database ${where}: ${message}`, { cause: error });
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}

/** Names of the migrations already applied to this database, oldest first. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name);
}

/** Applies the migrations up to and including `name` (a restore rebuilds a backup's schema first). */
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await migratorFor(db).migrateTo(name);
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration up to ${name} failed: ${message}`, { cause: error });
  }
}
