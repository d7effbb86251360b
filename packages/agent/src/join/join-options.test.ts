// `wgfleet-agent join` flags: what is required, where the files go, and the rule that the token and the
// new secret travel over HTTPS (plain HTTP only to this machine).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dashboardUrl } from "../config/dashboard-url.js";
import { parseConfigFile, resolveOptions, UsageError } from "../config/options.js";
import { agentUrlFor, DEFAULT_JOIN_CONFIG, joinUsageText, parseJoinFlags } from "./join-options.js";

const base = [
  "--dashboard",
  "https://wg.example.com",
  "--token",
  "wgj_x",
  "--name",
  "n7",
  "--endpoint",
  "n7.example.com",
];

describe("join flags", () => {
  it("keeps the agent settings for the settings file and puts the secret beside it", () => {
    const parsed = parseJoinFlags([...base, "--listen", "0.0.0.0:7443", "--config", "/etc/w/agent.json"], {});
    if (parsed === "help") throw new Error("help");
    expect(parsed.secretFile).toBe("/etc/w/secret");
    expect(parsed.settings).toEqual({ listen: "0.0.0.0:7443", secretFile: "/etc/w/secret" });
    expect(agentUrlFor(parsed, { host: "0.0.0.0", port: 7443 }, true)).toBe("https://n7.example.com:7443");
    expect(agentUrlFor(parsed, { host: "10.0.0.7", port: 7443 }, false)).toBe("http://10.0.0.7:7443");
  });

  it("writes by default the settings file the packaged systemd unit starts the agent with", () => {
    const unit = readFileSync(new URL("../../wgfleet-agent.service", import.meta.url), "utf8");
    expect(/^ExecStart=\S+ --config (\S+)$/m.exec(unit)?.[1]).toBe(DEFAULT_JOIN_CONFIG);
    const parsed = parseJoinFlags([...base, "--dial-out"], {});
    if (parsed === "help") throw new Error("help");
    expect(parsed.configFile).toBe("/etc/wgfleet/agent.json");
    expect(parsed.secretFile).toBe("/etc/wgfleet/secret");
  });

  it("names what is missing", () => {
    expect(() => parseJoinFlags(base, {})).toThrow(/--listen HOST:PORT is required \(or --dial-out/);
    expect(() =>
      parseJoinFlags(["--listen", "1.2.3.4:1", "--token", "t", "--name", "n", "--endpoint", "e"], {}),
    ).toThrow(/--dashboard URL is required/);
    const noToken = base.filter((arg, i) => arg !== "--token" && base[i - 1] !== "--token");
    expect(() => parseJoinFlags([...noToken, "--listen", "1.2.3.4:1"], {})).toThrow(
      /--token TOKEN is required/,
    );
  });

  it("--dial-out: no --listen needed, no agent URL, and the settings file makes the agent dial out", () => {
    const parsed = parseJoinFlags([...base, "--dial-out", "--config", "/etc/w/agent.json"], {});
    if (parsed === "help") throw new Error("help");
    expect(parsed.dialOut).toBe(true);
    expect(parsed.agentUrl).toBeNull();
    expect(parsed.settings).toEqual({ secretFile: "/etc/w/secret", dashboard: "https://wg.example.com/" });
    // What `wgfleet-agent --config /etc/w/agent.json` reads back from the file join writes.
    const written = parseConfigFile(JSON.stringify(parsed.settings), "/etc/w/agent.json");
    const options = resolveOptions({}, {}, written);
    expect(options.listen).toBeNull();
    expect(options.dashboard?.href).toBe("https://wg.example.com/");
    expect(options.secretFile).toBe("/etc/w/secret");

    const withListen = parseJoinFlags([...base, "--dial-out", "--listen", "127.0.0.1:7443"], {});
    if (withListen === "help") throw new Error("help");
    expect(resolveOptions(withListen.settings, {}, {}).listen).toEqual({ host: "127.0.0.1", port: 7443 });
    expect(joinUsageText()).toContain("--dial-out");
  });

  it("--dial-out refuses an agent URL, and plain HTTP off loopback unless the hidden test flag allows it", () => {
    expect(() => parseJoinFlags([...base, "--dial-out", "--agent-url", "https://n7:7443"], {})).toThrow(
      /--agent-url and --dial-out exclude each other/,
    );
    const plain = ["--dashboard", "http://198.18.0.1:10086", ...base.slice(2), "--dial-out"];
    expect(() => parseJoinFlags(plain, {})).toThrow(/https:\/\//);
    const allowed = parseJoinFlags([...plain, "--dashboard-allow-http"], {});
    if (allowed === "help") throw new Error("help");
    expect(allowed.settings).toMatchObject({
      dashboard: "http://198.18.0.1:10086/",
      dashboardAllowHttp: true,
    });
    expect(() => parseJoinFlags([...base, "--dial-out=yes"], {})).toThrow(/unknown flag --dial-out/);
  });

  it("sends the token over HTTPS, or HTTP to a loopback address only", () => {
    expect(dashboardUrl("https://wg.example.com").protocol).toBe("https:");
    expect(dashboardUrl("http://127.0.0.1:10086").host).toBe("127.0.0.1:10086");
    expect(dashboardUrl("http://[::1]:10086").hostname).toBe("[::1]");
    for (const bad of ["http://wg.example.com", "http://10.0.0.1", "ftp://127.0.0.1", "not a url"]) {
      expect(() => dashboardUrl(bad), bad).toThrow(UsageError);
    }
  });
});
