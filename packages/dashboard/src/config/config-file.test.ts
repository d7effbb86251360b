// The config file and `_FILE` secrets: precedence flags > environment > file > defaults, typed values,
// and one-line errors that name the file and the key. Pure apart from temp files; no server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfigFile } from "./config-file.js";
import { resolveSettings } from "./settings.js";

const dir = mkdtempSync(join(tmpdir(), "wgfleet-config-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(content: string, name = `f${++counter}`): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const resolveFile = (yaml: string, env: Record<string, string> = {}, flags = {}) =>
  resolveSettings({ config: file(yaml, `c${++counter}.yaml`), ...flags }, env);

describe("config file", () => {
  it("sets any setting by its camelCase key, typed", () => {
    const settings = resolveFile(
      [
        "listen: 0.0.0.0:8080",
        "noLocal: true",
        "trustProxy: true",
        "databasePoolSize: 25",
        "sessionLifetimeHours: 12",
        "sessionIdleMinutes: 30",
        "statsIntervalSeconds: 0.5",
        "agentRetries: 0",
        "localNetns: wgtest",
        "adminUser: boss",
        "wgdashboardPrefix: /wgd",
      ].join("\n"),
    );
    expect(settings.listen).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(settings.local).toBe(false);
    expect(settings.trustProxy).toBe(true);
    expect(settings.databasePoolSize).toBe(25);
    expect(settings.session).toEqual({ ttlMs: 12 * 3_600_000, idleMs: 30 * 60_000 });
    expect(settings.stats.intervalMs).toBe(500);
    expect(settings.nodes.agentRetries).toBe(0);
    expect(settings.localNetns).toBe("wgtest");
    expect(settings.admin.username).toBe("boss");
    expect(settings.wgdashboard.prefix).toBe("/wgd");
  });

  it("takes flags over environment over file over defaults", () => {
    const yaml = "listen: 127.0.0.1:1001\nlogFormat: pretty\nstatsRetentionDays: 9\nadminUser: fromfile\n";
    const fileOnly = resolveFile(yaml);
    expect(fileOnly.listen.port).toBe(1001);
    expect(fileOnly.stats.retentionDays).toBe(9);
    const envOverFile = resolveFile(yaml, {
      WGFLEET_LISTEN: "127.0.0.1:1002",
      WGFLEET_ADMIN_USER: "fromenv",
    });
    expect(envOverFile.listen.port).toBe(1002);
    expect(envOverFile.admin.username).toBe("fromenv");
    expect(envOverFile.logFormat).toBe("pretty");
    const flagOverAll = resolveFile(
      yaml,
      { WGFLEET_LISTEN: "127.0.0.1:1002" },
      { listen: "127.0.0.1:1003", stats: { retentionDays: "3" } },
    );
    expect(flagOverAll.listen.port).toBe(1003);
    expect(flagOverAll.stats.retentionDays).toBe(3);
    const defaults = resolveFile("");
    expect(defaults.listen.port).toBe(10086);
    expect(defaults.databasePoolSize).toBe(10);
    expect(defaults.session).toEqual({ ttlMs: 24 * 3_600_000, idleMs: 2 * 3_600_000 });
  });

  it("is named by WGFLEET_CONFIG when there is no --config; the flag wins", () => {
    const a = file("listen: 127.0.0.1:2001\n");
    const b = file("listen: 127.0.0.1:2002\n");
    expect(resolveSettings({}, { WGFLEET_CONFIG: a }).listen.port).toBe(2001);
    expect(resolveSettings({ config: b }, { WGFLEET_CONFIG: a }).listen.port).toBe(2002);
  });

  it("accepts JSON and lists as YAML sequences or comma-separated text", () => {
    const values = parseConfigFile('{"oidcAdminValues": ["a", "b"], "oidcViewerValues": "c,d"}', "x.json");
    expect(values).toEqual({ WGFLEET_OIDC_ADMIN_VALUES: "a,b", WGFLEET_OIDC_VIEWER_VALUES: "c,d" });
  });

  it.each([
    ["listn: 127.0.0.1:1\n", /config file .*: unknown setting "listn"/],
    ["noLocal: yes-please\n", /config file .*: noLocal: expected true or false/],
    ["databasePoolSize: many\n", /config file .*: databasePoolSize: expected a whole number/],
    ["listen: 80\n", /config file .*: listen: expected a string/],
    ["oidcAdminValues: [1, 2]\n", /config file .*: oidcAdminValues: expected a list of strings/],
    ["- listen\n", /config file .*: expected a mapping/],
    ["listen: [unclosed\n", /config file .*: not valid YAML/],
    ["config: other.yaml\n", /unknown setting "config"/],
    // Well typed but out of range: the resolver's error is told as the file's key, not the variable.
    ["statsIntervalSeconds: 0\n", /config file .*: statsIntervalSeconds: expected seconds/],
    ["databasePoolSize: 0\n", /config file .*: databasePoolSize: expected a whole number from 1/],
    ["listen: nowhere\n", /config file .*: listen: expected HOST:PORT/],
    ["sessionIdleMinutes: -1\n", /config file .*: sessionIdleMinutes: expected a positive number/],
  ])("refuses %j with one line naming the file and the key", (yaml, message) => {
    let error: Error | undefined;
    try {
      resolveFile(yaml);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("\n");
  });

  it("names the environment variable when the bad value came from the environment", () => {
    expect(() => resolveFile("databasePoolSize: 5\n", { WGFLEET_DATABASE_POOL_SIZE: "0" })).toThrow(
      /^WGFLEET_DATABASE_POOL_SIZE: /,
    );
  });

  it("refuses a config file it cannot read, naming it", () => {
    const missing = join(dir, "missing.yaml");
    expect(() => resolveSettings({ config: missing }, {})).toThrow(`cannot read ${missing} (ENOENT)`);
    expect(() => resolveSettings({}, { WGFLEET_CONFIG: dir })).toThrow(
      /WGFLEET_CONFIG: cannot read .* \(EISDIR\)/,
    );
  });

  it("lets admin commands ignore the sign-in settings of the file and the environment", () => {
    const yaml =
      "noLocalLogin: true\noidcIssuer: https://id.example.com\noidcClientSecretFile: /nonexistent\n";
    expect(() => resolveFile(yaml)).toThrow();
    const config = file(yaml);
    const settings = resolveSettings(
      { config },
      { WGFLEET_OIDC_CLIENT_SECRET_FILE: "/nonexistent" },
      { signIn: false },
    );
    expect(settings.signIn).toEqual({ localLogin: true, oidc: null });
  });
});

describe("_FILE secrets", () => {
  it("reads every secret from the file a _FILE variable names, dropping the trailing newline", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const settings = resolveSettings(
      {},
      {
        WGFLEET_ADMIN_PASSWORD_FILE: file("pass word\n"),
        WGFLEET_SECRET_KEY_FILE: file(`${key}\n`),
        DATABASE_URL_FILE: file("postgres://u:p@127.0.0.1/db\n"),
        WGFLEET_METRICS_TOKEN_FILE: file("token-1\r\n"),
      },
    );
    expect(settings.admin.password).toBe("pass word");
    expect(settings.secretKey).toBe(key);
    expect(settings.databaseUrl).toBe("postgres://u:p@127.0.0.1/db");
    expect(settings.metricsToken).toBe("token-1");
  });

  it("reads the OIDC client secret the same way", () => {
    const settings = resolveSettings(
      {},
      {
        WGFLEET_OIDC_ISSUER: "https://id.example.com",
        WGFLEET_OIDC_CLIENT_ID: "wgfleet",
        WGFLEET_OIDC_CLIENT_SECRET_FILE: file("client-secret\n"),
        WGFLEET_OIDC_VIEWER_VALUES: "*",
      },
    );
    expect(settings.signIn.oidc?.clientSecret).toBe("client-secret");
  });

  it("takes <key>File in the config file; the environment's value or file wins over it", () => {
    const yaml = `adminPasswordFile: ${file("from-file-secret\n")}\nmetricsToken: file-token\n`;
    expect(resolveFile(yaml).admin.password).toBe("from-file-secret");
    const overridden = resolveFile(yaml, {
      WGFLEET_ADMIN_PASSWORD: "from-env",
      WGFLEET_METRICS_TOKEN_FILE: file("env-token\n"),
    });
    expect(overridden.admin.password).toBe("from-env");
    expect(overridden.metricsToken).toBe("env-token");
  });

  it("refuses a secret given both as a value and as a file", () => {
    expect(() =>
      resolveSettings({}, { WGFLEET_ADMIN_PASSWORD: "x", WGFLEET_ADMIN_PASSWORD_FILE: file("y\n") }),
    ).toThrow(
      "WGFLEET_ADMIN_PASSWORD_FILE: give either WGFLEET_ADMIN_PASSWORD or WGFLEET_ADMIN_PASSWORD_FILE, not both",
    );
    expect(() =>
      resolveFile(`databaseUrl: postgres://a/b\ndatabaseUrlFile: ${file("postgres://c/d\n")}\n`),
    ).toThrow(/config file .*: databaseUrlFile: give either databaseUrl or databaseUrlFile, not both/);
  });

  it("refuses a secret file it cannot read or that is empty, naming the variable", () => {
    const missing = join(dir, "no-such-secret");
    expect(() => resolveSettings({}, { DATABASE_URL_FILE: missing })).toThrow(
      `DATABASE_URL_FILE: cannot read ${missing} (ENOENT)`,
    );
    expect(() => resolveSettings({}, { WGFLEET_SECRET_KEY_FILE: file("") })).toThrow(
      /WGFLEET_SECRET_KEY_FILE: .* is empty/,
    );
    expect(() => resolveFile(`secretKeyFile: ${missing}\n`)).toThrow(
      /config file .*: secretKeyFile: cannot read/,
    );
  });
});
