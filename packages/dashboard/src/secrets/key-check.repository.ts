// SQL for the key check value in the meta table: stored once (the first writer wins), then read back.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

export const KEY_CHECK_META_KEY = "secret_key_check";

/** Stores `value` unless a check value is there already; returns the one stored. */
export async function storeOrReadKeyCheck(db: Kysely<Database>, value: string): Promise<string> {
  await db
    .insertInto("meta")
    .values({ key: KEY_CHECK_META_KEY, value })
    .onConflict((conflict) => conflict.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("meta")
    .select("value")
    .where("key", "=", KEY_CHECK_META_KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}
