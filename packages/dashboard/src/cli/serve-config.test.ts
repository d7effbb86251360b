// `wgfleet serve --config FILE` for real (the built CLI): a setting from the file takes effect, a flag
// wins over the file, secrets come from `<key>File`, and a bad file stops it before anything starts.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

describe("wgfleet serve --config (built CLI)", () => {
  let dir: string;
  const running: ServeProcess[] = [];

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "wgfleet-serve-config-"));
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop("SIGKILL")));
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes its settings from the YAML file, with flags over the file", async () => {
    const fileDataDir = join(dir, "data-from-file");
    const flagDataDir = join(dir, "data-from-flag");
    writeFileSync(join(dir, "admin-password"), "file-admin-password-1\n", { mode: 0o600 });
    const config = join(dir, "dashboard.yaml");
    writeFileSync(
      config,
      [
        "listen: 127.0.0.1:0",
        `dataDir: ${fileDataDir}`,
        "noLocal: true",
        "adminUser: fileboss",
        `adminPasswordFile: ${join(dir, "admin-password")}`,
        "logLevel: warn",
        "sessionLifetimeHours: 0.5",
      ].join("\n"),
    );
    const server = await startServe(["--config", config, "--data-dir", flagDataDir], cleanEnv());
    running.push(server);
    // From the file: the admin and its password (via adminPasswordFile).
    expect(server.stderr()).toContain('created the admin user "fileboss"');
    const login = await loginOver(server.url, "fileboss", "file-admin-password-1");
    expect(login.status).toBe(200);
    // From the file: the session's lifetime (the cookie's Max-Age follows it).
    expect(login.setCookie).toMatch(/Max-Age=1800\b/);
    // The flag won over the file's dataDir.
    expect(existsSync(join(flagDataDir, "wgfleet.db"))).toBe(true);
    expect(existsSync(fileDataDir)).toBe(false);
    // The file's logLevel: warn, so no info line ("listening", ...) on stdout.
    expect(server.stdout()).not.toContain('"level":30');
    expect((await server.stop("SIGTERM")).code).toBe(0);
  });

  it("refuses a file with an unknown key in one line, exits non-zero and starts nothing", async () => {
    const dataDir = join(dir, "never-created");
    const config = join(dir, "bad.yaml");
    writeFileSync(config, `dataDir: ${dataDir}\nlistn: 127.0.0.1:0\n`);
    const result = await runCli(["serve", "--config", config]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `wgfleet: config file ${config}: unknown setting "listn" (see docs/configuration.md)`,
    );
    expect(result.stdout).toBe("");
    expect(existsSync(dataDir)).toBe(false);
    const missing = await runCli(["serve"], { env: cleanEnv({ WGFLEET_CONFIG: join(dir, "missing.yaml") }) });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe(
      `wgfleet: WGFLEET_CONFIG: cannot read ${join(dir, "missing.yaml")} (ENOENT)`,
    );
  });
});
