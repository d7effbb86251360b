// Start-up guard: the database remembers a check value of the key that encrypted its secrets, so a
// dashboard started with another key (lost key file, a replica with its own key) refuses to run
// instead of writing secrets nobody can read back alongside ones it cannot read.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { SecretBox } from "./secret-box.js";

export const KEY_CHECK_META_KEY = "secret_key_check";

/** The key's check value is stored on first use; afterwards it must match. Throws when it does not. */
export async function verifyKey(db: Kysely<Database>, box: SecretBox): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key: KEY_CHECK_META_KEY, value: box.keyCheckValue() })
    .onConflict((conflict) => conflict.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("meta")
    .select("value")
    .where("key", "=", KEY_CHECK_META_KEY)
    .executeTakeFirstOrThrow();
  if (!box.matchesCheckValue(row.value)) {
    const where = box.keyPath ? `the key file ${box.keyPath}` : `the ${box.source} key`;
    throw new Error(
      `the secret key does not match the one this database's secrets were encrypted with (${where}); ` +
        "restore the original secret.key or WGFLEET_SECRET_KEY — refusing to start",
    );
  }
}
