import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_STATE_DIR,
  envName,
  parseConfigFile,
  parseFlags,
  readEnv,
  resolveOptions,
  UsageError,
  usageText,
} from "./options.js";
import { keyIdForSecret, loadSecrets, loadToken } from "./secrets.js";

const resolveArgs = (argv: string[], env: NodeJS.ProcessEnv = {}, file = {}) => {
  const flags = parseFlags(argv);
  if (flags === "help" || flags === "version") throw new Error(flags);
  return resolveOptions(flags, readEnv(env), file);
};

describe("agent options", () => {
  it("reads every flag", () => {
    const options = resolveArgs([
      "--listen",
      "198.18.0.2:7443",
      "--secret-file=/etc/wgfleet/secret",
      "--state-dir",
      "/srv/state",
      "--tls-cert",
      "c.pem",
      "--tls-key",
      "k.pem",
      "--allow-hooks",
      "--drift-interval-seconds",
      "2.5",
      "--metrics-token-file",
      "/etc/wgfleet/metrics",
      "--log-format",
      "pretty",
    ]);
    expect(options).toMatchObject({
      listen: { host: "198.18.0.2", port: 7443 },
      secretFile: "/etc/wgfleet/secret",
      stateDir: "/srv/state",
      tlsCert: "c.pem",
      tlsKey: "k.pem",
      allowHooks: true,
      driftIntervalSeconds: 2.5,
      metricsTokenFile: "/etc/wgfleet/metrics",
      logFormat: "pretty",
    });
  });

  it("has defaults for everything but listen and secret file", () => {
    const options = resolveArgs(["--listen", "[::1]:7443", "--secret-file", "s"]);
    expect(options).toMatchObject({
      listen: { host: "::1", port: 7443 },
      stateDir: DEFAULT_STATE_DIR,
      allowHooks: false,
      driftIntervalSeconds: 30,
      logFormat: "json",
      tlsCert: null,
      netns: null,
    });
  });

  it("dials out to an https dashboard, or http only on loopback unless the hidden test flag allows it", () => {
    const base = ["--listen", "127.0.0.1:7443", "--secret-file", "s"];
    expect(resolveArgs(base).dashboard).toBeNull();
    expect(resolveArgs([...base, "--dashboard", "https://wg.example.com/fleet"]).dashboard?.href).toBe(
      "https://wg.example.com/fleet",
    );
    expect(resolveArgs([...base, "--dashboard", "http://127.0.0.1:10086"]).dashboard?.port).toBe("10086");
    expect(() => resolveArgs([...base, "--dashboard", "http://198.18.0.1:10086"])).toThrow(/https:\/\//);
    expect(() => resolveArgs([...base, "--dashboard", "wss://wg.example.com"])).toThrow(UsageError);
    expect(() => resolveArgs([...base, "--dashboard", "https://u:p@wg.example.com"])).toThrow(/user name/);
    const allowed = resolveArgs([
      ...base,
      "--dashboard",
      "http://198.18.0.1:10086",
      "--dashboard-allow-http",
    ]);
    expect(allowed.dashboard?.hostname).toBe("198.18.0.1");
    expect(usageText()).toContain("--dashboard VALUE");
    expect(usageText()).not.toContain("dashboard-allow-http");
  });

  it("needs no --listen when it dials out: no listener then; with both, both", () => {
    const dialOnly = resolveArgs(["--dashboard", "https://wg.example.com", "--secret-file", "s"]);
    expect(dialOnly.listen).toBeNull();
    expect(dialOnly.dashboard?.origin).toBe("https://wg.example.com");
    const fromEnv = resolveArgs(["--secret-file", "s"], { [envName("dashboard")]: "https://wg.example.com" });
    expect(fromEnv.listen).toBeNull();
    const both = resolveArgs([
      "--dashboard",
      "https://wg.example.com",
      "--listen",
      "127.0.0.1:7443",
      "--secret-file",
      "s",
    ]);
    expect(both.listen).toEqual({ host: "127.0.0.1", port: 7443 });
    expect(both.dashboard?.origin).toBe("https://wg.example.com");
    expect(() =>
      resolveArgs([
        "--dashboard",
        "https://wg.example.com",
        "--secret-file",
        "s",
        "--tls-cert",
        "c",
        "--tls-key",
        "k",
      ]),
    ).toThrow(/serve HTTPS on --listen: give --listen too/);
    expect(() => resolveArgs(["--secret-file", "s"])).toThrow(/unless the agent dials out with --dashboard/);
    expect(usageText()).toContain("wgfleet-agent --dashboard URL --secret-file FILE");
  });

  it("takes flags over environment over config file", () => {
    const env = {
      [envName("listen")]: "127.0.0.1:2",
      [envName("state-dir")]: "/env",
      [envName("allow-hooks")]: "true",
    };
    const file = parseConfigFile(
      JSON.stringify({
        listen: "127.0.0.1:3",
        secretFile: "/file/secret",
        stateDir: "/file",
        driftIntervalSeconds: 5,
      }),
      "agent.json",
    );
    const options = resolveArgs(["--listen", "127.0.0.1:1"], env, file);
    expect(options.listen?.port).toBe(1);
    expect(options.stateDir).toBe("/env");
    expect(options.secretFile).toBe("/file/secret");
    expect(options.allowHooks).toBe(true);
    expect(options.driftIntervalSeconds).toBe(5);
    expect(envName("secret-file")).toBe("WGFLEET_AGENT_SECRET_FILE");
  });

  it.each([
    [["--bogus"], /unknown flag --bogus/],
    [["--listen"], /--listen needs a value/],
    [["--secret-file", "s"], /--listen HOST:PORT is required/],
    [["--listen", "nohost", "--secret-file", "s"], /--listen must be HOST:PORT/],
    [["--listen", "127.0.0.1:1"], /--secret-file FILE is required/],
    [
      ["--listen", "127.0.0.1:1", "--secret-file", "s", "--tls-cert", "c"],
      /--tls-cert and --tls-key go together/,
    ],
    [
      ["--listen", "127.0.0.1:1", "--secret-file", "s", "--log-format", "xml"],
      /--log-format must be json or pretty/,
    ],
    [
      ["--listen", "127.0.0.1:1", "--secret-file", "s", "--drift-interval-seconds", "0"],
      /drift-interval-seconds/,
    ],
    [["positional"], /unexpected argument/],
  ])("refuses %j with one line saying why", (argv, message) => {
    expect(() => resolveArgs(argv as string[])).toThrow(UsageError);
    expect(() => resolveArgs(argv as string[])).toThrow(message);
  });

  it("refuses unknown or mistyped config file settings", () => {
    expect(() => parseConfigFile('{"listn": "x"}', "a.json")).toThrow(/unknown setting "listn"/);
    expect(() => parseConfigFile('{"allowHooks": "yes"}', "a.json")).toThrow(/must be a boolean/);
    expect(() => parseConfigFile("[", "a.json")).toThrow(/not YAML or JSON/);
    expect(() => parseConfigFile("- listen", "a.yaml")).toThrow(/must hold a mapping/);
  });

  it("reads a YAML config file as well as JSON", () => {
    const yaml = "listen: 0.0.0.0:7443\nallowHooks: true\ndriftIntervalSeconds: 5\n";
    expect(parseConfigFile(yaml, "a.yaml")).toEqual({
      listen: "0.0.0.0:7443",
      allowHooks: true,
      driftIntervalSeconds: 5,
    });
    expect(parseConfigFile('{"listen": "0.0.0.0:7443"}', "a.json")).toEqual({ listen: "0.0.0.0:7443" });
  });

  it("answers --help with the usage, which names every public flag and its env var", () => {
    expect(parseFlags(["--listen", "x", "--help"])).toBe("help");
    const text = usageText();
    for (const flag of [
      "--listen",
      "--secret-file",
      "--state-dir",
      "--wg-dir",
      "--tls-cert",
      "--allow-hooks",
    ]) {
      expect(text).toContain(flag);
    }
    expect(text).toContain("WGFLEET_AGENT_DRIFT_INTERVAL_SECONDS");
    expect(text).not.toContain("--netns");
  });
});

describe("agent secrets", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-agent-secrets-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keys the current and previous secret by the first 8 hex of their SHA-256", async () => {
    await writeFile(join(dir, "secret"), "current-secret-0123456789\nprevious-secret-0123456789\n");
    const secrets = await loadSecrets(join(dir, "secret"), null);
    expect([...secrets.values()]).toEqual(["current-secret-0123456789", "previous-secret-0123456789"]);
    expect(keyIdForSecret("abc")).toBe("ba7816bf");
    expect(secrets.get(keyIdForSecret("current-secret-0123456789"))).toBe("current-secret-0123456789");
  });

  it("takes the previous secret from its own file", async () => {
    await writeFile(join(dir, "secret"), "current-secret-0123456789\n");
    await writeFile(join(dir, "previous"), "previous-secret-0123456789\n");
    const secrets = await loadSecrets(join(dir, "secret"), join(dir, "previous"));
    expect(secrets.size).toBe(2);
  });

  it("names the file and the problem, never the secret", async () => {
    await expect(loadSecrets(join(dir, "missing"), null)).rejects.toThrow(
      /cannot read secret file .*missing: ENOENT/,
    );
    await writeFile(join(dir, "empty"), "\n");
    await expect(loadSecrets(join(dir, "empty"), null)).rejects.toThrow(/is empty/);
    await writeFile(join(dir, "short"), "tooshort\n");
    const error = await loadSecrets(join(dir, "short"), null).catch((e: Error) => e);
    expect(String(error)).toMatch(/shorter than 16/);
    expect(String(error)).not.toContain("tooshort");
    await writeFile(join(dir, "token"), "metrics-token-0123456789\n");
    expect(await loadToken(join(dir, "token"))).toBe("metrics-token-0123456789");
  });
});
