// Admin commands open the database with `mustExist` (startup/database.ts): on both engines an empty
// target is refused in one line and left as it was, and a database `serve` set up opens as before.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../packages/dashboard/src/logging/logger.js";
import { NoDatabaseError, openStore } from "../../packages/dashboard/src/startup/database.js";
import { engineSkipReason, testPostgresUrl } from "../support/databases.js";

const logger = createLogger({ level: "silent" });

describe("openStore({ mustExist }) [sqlite]", () => {
  it("refuses a data dir without the database file and creates nothing; opens one serve made", async () => {
    const root = mkdtempSync(join(tmpdir(), "wgfleet-mustexist-"));
    try {
      const target = { dataDir: join(root, "data"), databaseUrl: null, secretKey: null };
      await expect(openStore(target, logger, { mustExist: true })).rejects.toThrow(NoDatabaseError);
      expect(readdirSync(root)).toEqual([]);
      await (await openStore(target, logger)).db.destroy();
      const opened = await openStore(target, logger, { mustExist: true });
      await opened.db.destroy();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.skipIf(engineSkipReason("postgres") !== null)("openStore({ mustExist }) [postgres]", () => {
  it("refuses a database without the wgfleet schema and leaves it empty; opens it once migrated", async () => {
    const adminUrl = await testPostgresUrl();
    const name = `wgfleet_test_${randomBytes(8).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-mustexist-pg-"));
    try {
      await admin.query(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const target = { dataDir, databaseUrl: url.toString(), secretKey: null };
      await expect(openStore(target, logger, { mustExist: true })).rejects.toThrow(
        /^the database DATABASE_URL names has no wgfleet schema; check --data-dir/,
      );
      const inside = new pg.Client({ connectionString: url.toString() });
      await inside.connect();
      try {
        const made = await inside.query(
          "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
        );
        expect(made.rows[0].n).toBe(0);
      } finally {
        await inside.end();
      }
      await (await openStore(target, logger)).db.destroy();
      await (await openStore(target, logger, { mustExist: true })).db.destroy();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
