// Start-up guard: the database remembers a check value of the key that encrypted its secrets, so a
// dashboard started with another key (lost key file, a replica with its own key) refuses to run
// instead of writing secrets nobody can read back alongside ones it cannot read.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { KEY_CHECK_META_KEY, storeOrReadKeyCheck } from "./key-check.repository.js";
import type { SecretBox } from "./secret-box.js";

export { KEY_CHECK_META_KEY };

/** The key's check value is stored on first use; afterwards it must match. Throws when it does not. */
export async function verifyKey(db: Kysely<Database>, box: SecretBox): Promise<void> {
  const stored = await storeOrReadKeyCheck(db, box.keyCheckValue());
  if (!box.matchesCheckValue(stored)) {
    const where = box.keyPath ? `the key file ${box.keyPath}` : `the ${box.source} key`;
    throw new Error(
      `the secret key does not match the one this database's secrets were encrypted with (${where}); ` +
        "restore the original secret.key or WGFLEET_SECRET_KEY — refusing to start",
    );
  }
}
