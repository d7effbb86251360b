// `wgfleet backup` and `wgfleet restore` as a person runs them (the built binary): a backup of a
// running server's data dir restores into an empty one that serves the same users; a passphrase
// protects the key; refusals (no database, a non-empty target, a wrong passphrase, bad flags) are one
// line with a non-zero exit and write nothing.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  cleanEnv,
  loginOver,
  runCli,
  type ServeProcess,
  startServe,
} from "./test-support/spawn-cli.js";

describe("wgfleet backup / restore (built CLI, SQLite data dirs)", () => {
  let root: string;
  let dataDir: string;
  let server: ServeProcess | undefined;
  const env = cleanEnv({ WGFLEET_ADMIN_PASSWORD: "first-admin-pass" });
  const path = (name: string) => join(root, name);

  beforeAll(async () => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), "wgfleet-cli-backup-"));
    dataDir = path("data");
    server = await startServe(["--listen", "127.0.0.1:0", "--data-dir", dataDir, "--no-local"], env);
    writeFileSync(path("pass"), "a long passphrase\n", { mode: 0o600 });
    writeFileSync(path("wrong"), "another passphrase\n", { mode: 0o600 });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("backs up a running server: a summary on stdout, a warning that the key is in clear", async () => {
    const made = await runCli(["backup", "--out", path("clear.wgb"), "--data-dir", dataDir], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      new RegExp(`^backed up \\d+ rows of \\d+ tables \\(sqlite\\) to ${path("clear.wgb")}\\n$`),
    );
    expect(made.stderr).toContain("holds the secret key in clear");
    expect(statSync(path("clear.wgb")).mode & 0o777).toBe(0o600);
  });

  it("--json and --passphrase-file: the summary as JSON, no warning", async () => {
    const made = await runCli(
      [
        "backup",
        "--out",
        path("locked.wgb"),
        "--passphrase-file",
        path("pass"),
        "--json",
        "--data-dir",
        dataDir,
      ],
      { env },
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toBe("");
    const summary = JSON.parse(made.stdout);
    expect(summary).toMatchObject({ engine: "sqlite", encrypted: true, file: path("locked.wgb") });
    expect(summary.counts.users).toBe(1);
    expect(summary.migrations[0]).toBe("001_initial");
  });

  it("restores into an empty data dir, which serves the same admin", async () => {
    const restoredDir = path("restored");
    const restored = await runCli(
      ["restore", path("locked.wgb"), "--passphrase-file", path("pass"), "--data-dir", restoredDir],
      { env: cleanEnv() },
    );
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`into the SQLite database ${join(restoredDir, "wgfleet.db")}`);
    expect(restored.stdout).toMatch(/ {2}users: 1\n/);
    const second = await startServe(
      ["--listen", "127.0.0.1:0", "--data-dir", restoredDir, "--no-local"],
      cleanEnv(),
    );
    try {
      expect((await loginOver(second.url, "admin", "first-admin-pass")).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("dry run: counts as JSON, nothing written", async () => {
    const target = path("dry");
    const dry = await runCli(["restore", path("clear.wgb"), "--dry-run", "--json", "--data-dir", target], {
      env: cleanEnv(),
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      sourceEngine: "sqlite",
      counts: { users: 1 },
    });
    expect(existsSync(target)).toBe(false);
  });

  it("refuses, in one line and writing nothing: a wrong passphrase, a non-empty target, a damaged file", async () => {
    const target = path("refused");
    const wrong = await runCli(
      ["restore", path("locked.wgb"), "--passphrase-file", path("wrong"), "--data-dir", target],
      { env: cleanEnv() },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("wgfleet: wrong passphrase: it does not open this backup's secret key\n");
    const occupied = await runCli(["restore", path("clear.wgb"), "--data-dir", dataDir], { env: cleanEnv() });
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toMatch(
      new RegExp(
        `^wgfleet: the SQLite database ${join(dataDir, "wgfleet.db")} is not empty \\(table \\w+ has \\d+ rows\\); restore needs an empty one\\n$`,
      ),
    );
    writeFileSync(path("damaged.wgb"), "garbage");
    const damaged = await runCli(["restore", path("damaged.wgb"), "--data-dir", target], { env: cleanEnv() });
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^wgfleet: .*damaged.*\n$/);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses a data dir without a database instead of creating one", async () => {
    const empty = path("no-database");
    const made = await runCli(["backup", "--out", path("none.wgb"), "--data-dir", empty], {
      env: cleanEnv(),
    });
    expect(made.code).toBe(1);
    expect(made.stderr).toBe(
      `wgfleet: there is no wgfleet database in ${empty} (no wgfleet.db); nothing to back up\n`,
    );
    expect(existsSync(empty)).toBe(false);
    expect(existsSync(path("none.wgb"))).toBe(false);
  });

  it("bad flags are usage errors (exit 2, one line)", async () => {
    const cases: Array<[string[], string]> = [
      [["backup"], "wgfleet: --out is required\n"],
      [["restore"], "wgfleet: restore: missing FILE (the backup to restore)\n"],
      [
        ["backup", "--out", path("x.wgb"), "--passphrase-file", path("missing")],
        `wgfleet: --passphrase-file: cannot read ${path("missing")} (ENOENT)\n`,
      ],
      [["restore", "a", "b"], 'wgfleet: unexpected argument "b"\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = await runCli(args, { env: cleanEnv() });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toBe(stderr);
    }
    expect(readdirSync(root).filter((name) => name.startsWith("x.wgb"))).toEqual([]);
  });
});
