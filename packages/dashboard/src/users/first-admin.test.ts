// First start: the admin from the environment, or with a generated password to print once; nothing
// on a database that already has users.
import { randomBytes } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import type { AppContext } from "../http/context.js";
import { TEST_CONFIG } from "../http/test-support/test-app.js";
import { createLogger } from "../logging/logger.js";
import { SecretBox } from "../secrets/secret-box.js";
import { createAppContext } from "../services.js";
import { ensureFirstAdmin } from "./first-admin.js";

forEachEngine("first admin", (open) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function context(): Promise<AppContext> {
    const opened = await open();
    close = opened.close;
    return createAppContext({
      db: opened.db,
      dataDir: opened.dataDir,
      secrets: SecretBox.fromKey(randomBytes(32)),
      logger: createLogger({ level: "silent" }),
      config: TEST_CONFIG,
    });
  }

  it("creates the admin from the environment's name and password", async () => {
    const { services } = await context();
    const result = await ensureFirstAdmin(services.users, {
      username: "root-person",
      password: "from-the-env-1",
    });
    expect(result).toEqual({ username: "root-person", generatedPassword: null });
    const user = await services.users.verifyCredentials("root-person", "from-the-env-1");
    expect(user).toMatchObject({ role: "admin", mustChangePassword: false });
  });

  it("generates a strong password that logs in and must be changed", async () => {
    const { services } = await context();
    const result = await ensureFirstAdmin(services.users, { username: "admin", password: null });
    expect(result?.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const user = await services.users.verifyCredentials("admin", result?.generatedPassword ?? "");
    expect(user).toMatchObject({ role: "admin", mustChangePassword: true });
  });

  it("does nothing when a user exists", async () => {
    const { services } = await context();
    await ensureFirstAdmin(services.users, { username: "admin", password: null });
    expect(await ensureFirstAdmin(services.users, { username: "other", password: "whatever-1" })).toBeNull();
    expect(await services.users.count()).toBe(1);
  });

  it("refuses an environment password that breaks the rules", async () => {
    const { services } = await context();
    await expect(ensureFirstAdmin(services.users, { username: "admin", password: "short" })).rejects.toThrow(
      /password/,
    );
  });
});
