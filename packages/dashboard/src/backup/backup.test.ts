// The backup file format and restore, on both engines: a round trip into the other engine gives the
// same rows (and PostgreSQL identities continue after the restored ids); a damaged file, a newer
// format, a wrong passphrase and a target holding data are refused with one line and nothing written.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedPeers } from "../../../../test/dashboard/seed-peers.js";
import {
  type Engine,
  engineSkipReason,
  forEachEngine,
  type OpenedDatabase,
} from "../../../../test/support/databases.js";
import { createDatabase, type Db, SQLITE_FILE_NAME } from "../db/index.js";
import { KEY_CHECK_META_KEY, SECRET_KEY_FILE_NAME, SecretBox } from "../secrets/index.js";
import { writeBackup } from "./backup-writer.js";
import { BackupFormatError, BackupPassphraseError } from "./format.js";
import { restoreBackup } from "./restore.js";
import { TargetNotEmptyError } from "./restore-target.js";
import { dumpTables, type EmptyTarget, emptyTarget } from "./test-support/targets.js";

const KEY = randomBytes(32);

/** Peers, a user, audit entries (identity ids), a 2^40 counter and text JSON must carry exactly. */
async function seed(db: Db): Promise<void> {
  await seedPeers(db, 40);
  const now = new Date().toISOString();
  await db
    .insertInto("users")
    .values({
      id: "u1",
      username: 'Zoë 雪\n"quoted"',
      password_hash: "hash",
      role: "admin",
      must_change_password: 0,
      totp_secret_enc: SecretBox.fromKey(KEY).encrypt("totp"),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .updateTable("peer_stats")
    .set({ rx_bytes: 2 ** 40 + 7 })
    .execute();
  for (let i = 0; i < 5; i++) {
    await db
      .insertInto("audit_log")
      .values({
        at: now,
        actor: "admin",
        action: `act-${i}`,
        target: null,
        details: null,
        entity: null,
        address: null,
        api_key: null,
        changes: null,
      })
      .execute();
  }
  await db
    .insertInto("meta")
    .values({ key: KEY_CHECK_META_KEY, value: SecretBox.fromKey(KEY).keyCheckValue() })
    .execute();
}

const other = (engine: Engine): Engine => (engine === "sqlite" ? "postgres" : "sqlite");

forEachEngine("backup format v1", (open, engine) => {
  let source: OpenedDatabase;
  let file: string;
  let clearFile: string;
  const targets: EmptyTarget[] = [];
  const target = async (kind: Engine) => {
    const made = await emptyTarget(kind);
    targets.push(made);
    return made.target;
  };
  const canCross = engineSkipReason(other(engine)) === null;

  beforeAll(async () => {
    source = await open();
    await seed(source.db);
    file = join(source.dataDir, "backup.wgb");
    clearFile = join(source.dataDir, "clear.wgb");
    await writeBackup({ db: source.db, secretKey: KEY, passphrase: "correct horse", out: file });
    await writeBackup({ db: source.db, secretKey: KEY, passphrase: null, out: clearFile });
  });

  afterAll(async () => {
    for (const made of targets) await made.close();
    await source?.close();
  });

  it("writes a gzip'ed file of mode 0600 and leaves no temporary file", () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(source.dataDir).filter((name) => name.includes("partial"))).toEqual([]);
    const lines = gunzipSync(readFileSync(clearFile)).toString("utf8").trimEnd().split("\n");
    const header = JSON.parse(lines[0] as string);
    expect(header).toMatchObject({ format: "wgfleet-backup", version: 1, engine });
    expect(header.counts.peers).toBe(40);
    expect(header.secretKey).toEqual({ kind: "clear", key: KEY.toString("base64") });
    expect(header.tables.indexOf("interfaces")).toBeLessThan(header.tables.indexOf("peers"));
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ end: true });
    const encrypted = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8").split("\n")[0] as string);
    expect(JSON.stringify(encrypted)).not.toContain(KEY.toString("base64"));
  });

  it.skipIf(!canCross)(`round trip into ${other(engine)}: the same rows, the key restored`, async () => {
    const into = await target(other(engine));
    const summary = await restoreBackup({ file, passphrase: "correct horse", target: into, dryRun: false });
    expect(summary.counts.peers).toBe(40);
    expect(summary.secretKey).toBe("file");
    const key = readFileSync(join(into.dataDir, SECRET_KEY_FILE_NAME), "utf8").trim();
    expect(Buffer.from(key, "base64").equals(KEY)).toBe(true);
    expect(statSync(join(into.dataDir, SECRET_KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    const restored = await createDatabase(
      into.databaseUrl ? { url: into.databaseUrl } : { dataDir: into.dataDir },
    );
    try {
      expect(await dumpTables(restored)).toEqual(await dumpTables(source.db));
      // A new audit entry gets the next id, not one a restored entry has (the identity sequence moved).
      const added = await restored
        .insertInto("audit_log")
        .values({
          at: "x",
          actor: "a",
          action: "after",
          target: null,
          details: null,
          entity: null,
          address: null,
          api_key: null,
          changes: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(added.id).toBe(6);
    } finally {
      await restored.destroy();
    }
  });

  it("refuses a wrong or missing passphrase, writing nothing", async () => {
    const into = await target("sqlite");
    await expect(
      restoreBackup({ file, passphrase: "wrong horse", target: into, dryRun: false }),
    ).rejects.toThrow(
      new BackupPassphraseError("wrong passphrase: it does not open this backup's secret key"),
    );
    await expect(restoreBackup({ file, passphrase: null, target: into, dryRun: false })).rejects.toThrow(
      /encrypted: give its passphrase with --passphrase-file/,
    );
    expect(existsSync(into.dataDir)).toBe(false);
  });

  const rewrite = (name: string, edit: (lines: string[]) => string[]) => {
    const lines = gunzipSync(readFileSync(clearFile)).toString("utf8").trimEnd().split("\n");
    const path = join(source.dataDir, name);
    writeFileSync(path, gzipSync(`${edit(lines).join("\n")}\n`));
    return path;
  };

  it("refuses damaged files with one line, writing nothing", async () => {
    const raw = readFileSync(clearFile);
    const cases: Array<[string, RegExp]> = [
      [rewrite("truncated.wgb", (lines) => lines.slice(0, -5)), /truncated|do not match/],
      [rewrite("no-end.wgb", (lines) => lines.slice(0, -1)), /truncated: the end marker is missing/],
      [rewrite("extra.wgb", (lines) => [...lines, "[1]"]), /lines after its end marker/],
      [rewrite("bad-row.wgb", (lines) => lines.map((l, i) => (i === 5 ? "[1,2" : l))), /not JSON/],
      [
        rewrite("newer.wgb", (lines) => [
          lines[0]?.replace('"version":1', '"version":2') ?? "",
          ...lines.slice(1),
        ]),
        /format v2, made by a newer wgfleet/,
      ],
      [
        rewrite("future-schema.wgb", (lines) => [
          lines[0]?.replace('"migrations":[', '"migrations":["999_future",') ?? "",
          ...lines.slice(1),
        ]),
        /unknown migration 999_future/,
      ],
      [rewrite("not-backup.wgb", () => ['{"hello":1}']), /not a wgfleet backup/],
    ];
    const cut = join(source.dataDir, "cut.wgb");
    writeFileSync(cut, raw.subarray(0, Math.floor(raw.length / 2)));
    cases.push([cut, /damaged|truncated/]);
    const plain = join(source.dataDir, "plain.wgb");
    writeFileSync(plain, "not gzip at all\n");
    cases.push([plain, /not a wgfleet backup or is damaged/]);
    const into = await target("sqlite");
    for (const [path, message] of cases) {
      const attempt = restoreBackup({ file: path, passphrase: null, target: into, dryRun: false });
      await expect(attempt, path).rejects.toThrow(BackupFormatError);
      await expect(
        restoreBackup({ file: path, passphrase: null, target: into, dryRun: false }),
        path,
      ).rejects.toThrow(message);
    }
    expect(existsSync(into.dataDir)).toBe(false);
  });

  it("dry run: reports the counts, writes nothing", async () => {
    const into = await target(engine);
    const summary = await restoreBackup({ file: clearFile, passphrase: null, target: into, dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, sourceEngine: engine });
    expect(summary.counts.peers).toBe(40);
    expect(existsSync(into.dataDir)).toBe(false);
  });

  it("refuses a target that holds data, naming it; a key file of another key too", async () => {
    const occupied = { dataDir: source.dataDir, databaseUrl: null, envKey: null };
    if (engine === "sqlite") {
      await expect(
        restoreBackup({ file: clearFile, passphrase: null, target: occupied, dryRun: false }),
      ).rejects.toThrow(`the SQLite database ${join(source.dataDir, SQLITE_FILE_NAME)} is not empty`);
    }
    const into = await target("sqlite");
    await restoreBackup({ file: clearFile, passphrase: null, target: into, dryRun: false });
    await expect(
      restoreBackup({ file: clearFile, passphrase: null, target: into, dryRun: true }),
    ).rejects.toThrow(/is not empty \(table \w+ has \d+ rows\)/);
    const otherKey = await target("sqlite");
    await restoreBackup({ file: clearFile, passphrase: null, target: otherKey, dryRun: true });
    mkdirSync(otherKey.dataDir, { recursive: true });
    writeFileSync(join(otherKey.dataDir, SECRET_KEY_FILE_NAME), `${randomBytes(32).toString("base64")}\n`, {
      mode: 0o600,
    });
    await expect(
      restoreBackup({ file: clearFile, passphrase: null, target: otherKey, dryRun: false }),
    ).rejects.toThrow(TargetNotEmptyError);
    expect(existsSync(join(otherKey.dataDir, SQLITE_FILE_NAME))).toBe(false);
  });
});
