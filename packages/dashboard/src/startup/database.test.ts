// The data dir's files are private whatever the directory and the umask: the SQLite database and its
// -wal / -shm files and the secret key are 0600, a data dir we create is 0700, and an existing looser
// one is named in a warning at start.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SQLITE_FILE_NAME } from "../db/connection.js";
import { createLogger } from "../logging/logger.js";
import { SECRET_KEY_FILE_NAME } from "../secrets/key-source.js";
import { openStore } from "./database.js";

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("openStore file modes", () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "wgfleet-modes-"));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates the database, its WAL and SHM files and the secret key 0600 in an existing 0755 dir, and warns about the dir", async () => {
    const dataDir = join(root, "data");
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const { lines, logger } = capturingLogger();
    const { db } = await openStore({ dataDir, databaseUrl: null, secretKey: null }, logger);
    try {
      const file = join(dataDir, SQLITE_FILE_NAME);
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
      for (const path of [file, `${file}-wal`, `${file}-shm`, join(dataDir, SECRET_KEY_FILE_NAME)]) {
        expect(modeOf(path).toString(8), path).toBe("600");
      }
      const warning = lines.find((line) => line.includes("readable by other users"));
      expect(warning).toContain(dataDir);
      expect(warning).toContain('"mode":"0755"');
    } finally {
      await db.destroy();
    }
  });

  it("makes a data dir it creates 0700 and does not warn about it", async () => {
    const dataDir = join(root, "fresh", "data");
    const { lines, logger } = capturingLogger();
    const { db } = await openStore({ dataDir, databaseUrl: null, secretKey: null }, logger);
    await db.destroy();
    expect(modeOf(dataDir).toString(8)).toBe("700");
    expect(modeOf(join(dataDir, SQLITE_FILE_NAME)).toString(8)).toBe("600");
    expect(lines.join("\n")).not.toContain("readable by other users");
  });

  it("tightens a database file an older version left 0644", async () => {
    const dataDir = join(root, "old");
    const first = await openStore({ dataDir, databaseUrl: null, secretKey: null }, capturingLogger().logger);
    await first.db.destroy();
    const file = join(dataDir, SQLITE_FILE_NAME);
    chmodSync(file, 0o644);
    const second = await openStore({ dataDir, databaseUrl: null, secretKey: null }, capturingLogger().logger);
    try {
      expect(modeOf(file).toString(8)).toBe("600");
    } finally {
      await second.db.destroy();
    }
  });
});
