// The generated first-admin password lives in a 0600 file of the data dir, never in the log; later
// starts keep pointing at it while it is still the password; the first change removes it.

import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { Writable } from "node:stream";
import { afterEach, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { TEST_CONFIG } from "../http/test-support/test-app.js";
import { createLogger } from "../logging/logger.js";
import { SecretBox } from "../secrets/secret-box.js";
import { createAppContext } from "../services.js";
import { InitialPasswordFile } from "../users/initial-password-file.js";
import { prepareInitialAdmin } from "./initial-admin.js";

forEachEngine("initial admin password file", (open) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function setUp() {
    const opened = await open();
    close = opened.close;
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const context = await createAppContext({
      db: opened.db,
      dataDir: opened.dataDir,
      secrets: SecretBox.fromKey(randomBytes(32)),
      logger,
      config: TEST_CONFIG,
    });
    return { users: context.services.users, file: InitialPasswordFile.in(opened.dataDir), logger, lines };
  }
  const admin = { username: "admin", password: null };

  it("writes the generated password to a 0600 file and logs the file, never the password", async () => {
    const { users, file, logger, lines } = await setUp();
    const notice = await prepareInitialAdmin(users, admin, file, logger);
    expect(notice).toEqual({ username: "admin", created: true, passwordFile: file.path });
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    const password = file.read() ?? "";
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await users.verifyCredentials("admin", password)).mustChangePassword).toBe(true);
    expect(lines.join("")).toContain(file.path);
    expect(lines.join("")).not.toContain(password);
  });

  it("keeps pointing at the file on later starts until the admin changes the password, which removes it", async () => {
    const { users, file, logger } = await setUp();
    await prepareInitialAdmin(users, admin, file, logger);
    const password = file.read() ?? "";
    expect(await prepareInitialAdmin(users, admin, file, logger)).toEqual({
      username: "admin",
      created: false,
      passwordFile: file.path,
    });
    const user = await users.verifyCredentials("admin", password);
    await users.changeOwnPassword(
      {
        userId: user.id,
        username: "admin",
        role: "admin",
        via: "session",
        mustChangePassword: true,
        mustEnrolTotp: false,
      },
      { currentPassword: password, newPassword: "admin-own-password-1" },
    );
    expect(existsSync(file.path)).toBe(false);
    expect(await prepareInitialAdmin(users, admin, file, logger)).toBeNull();
  });

  it("drops a file whose password no longer logs in (reset by the CLI meanwhile)", async () => {
    const { users, file, logger } = await setUp();
    await prepareInitialAdmin(users, admin, file, logger);
    await users.resetPassword("admin", "reset-by-cli-1", "cli");
    expect(await prepareInitialAdmin(users, admin, file, logger)).toBeNull();
    expect(existsSync(file.path)).toBe(false);
  });
});
