import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { KEY_CHECK_META_KEY, verifyKey } from "./key-check.js";
import { SecretBox } from "./secret-box.js";

forEachEngine("the secret key check", (open) => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("records the key on first start, accepts it again, refuses another key", async () => {
    const key = randomBytes(32);
    const box = SecretBox.fromKey(key);
    await box.verifyKey(opened.db);
    const stored = await opened.db
      .selectFrom("meta")
      .select("value")
      .where("key", "=", KEY_CHECK_META_KEY)
      .executeTakeFirstOrThrow();
    expect(stored.value).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.value).not.toContain(key.toString("hex"));

    await verifyKey(opened.db, SecretBox.fromKey(key));
    await expect(verifyKey(opened.db, SecretBox.fromKey(randomBytes(32)))).rejects.toThrow(
      /does not match .* refusing to start/,
    );
  });

  it("names the key file in the refusal", async () => {
    const { dataDir } = opened;
    const fromFile = await SecretBox.open({ dataDir, envKey: "" });
    await expect(fromFile.verifyKey(opened.db)).rejects.toThrow(`the key file ${dataDir}/secret.key`);
  });
});
