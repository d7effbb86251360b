import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseListen, parsePublicUrl, resolveSettings } from "./settings.js";

describe("settings", () => {
  it("parses listen addresses", () => {
    expect(parseListen("127.0.0.1:10086")).toEqual({ host: "127.0.0.1", port: 10086 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(parseListen("localhost:80")).toEqual({ host: "localhost", port: 80 });
    for (const bad of ["127.0.0.1", ":80", "host:99999", "::1:80", "a b:1"]) {
      expect(() => parseListen(bad), bad).toThrow(/--listen/);
    }
  });

  it("keeps the public URL as an origin with its path and no trailing slash; refuses anything else", () => {
    expect(parsePublicUrl(undefined)).toBeNull();
    expect(parsePublicUrl("https://vpn.example.com/")).toBe("https://vpn.example.com");
    expect(parsePublicUrl("http://198.18.0.1:8080/wg//")).toBe("http://198.18.0.1:8080/wg");
    for (const bad of ["vpn.example.com", "ftp://x", "https://x/?a=1", "https://x/#f", "https://u:p@x"]) {
      expect(() => parsePublicUrl(bad), bad).toThrow(/--public-url/);
    }
    expect(resolveSettings({}, { WGFLEET_PUBLIC_URL: "https://a.example" }).publicUrl).toBe(
      "https://a.example",
    );
    expect(
      resolveSettings({ publicUrl: "https://b.example" }, { WGFLEET_PUBLIC_URL: "https://a.example" })
        .publicUrl,
    ).toBe("https://b.example");
    expect(resolveSettings({}, {}).publicUrl).toBeNull();
  });

  it("takes flags over environment over defaults", () => {
    const env = { WGFLEET_LISTEN: "0.0.0.0:1", WGFLEET_LOG_FORMAT: "pretty", DATABASE_URL: "postgres://x/y" };
    const fromEnv = resolveSettings({}, env);
    expect(fromEnv.listen).toEqual({ host: "0.0.0.0", port: 1 });
    expect(fromEnv.logFormat).toBe("pretty");
    expect(fromEnv.databaseUrl).toBe("postgres://x/y");
    expect(fromEnv.local).toBe(true);
    const fromFlags = resolveSettings({ listen: "127.0.0.1:2", logFormat: "json", local: false }, env);
    expect(fromFlags.listen.port).toBe(2);
    expect(fromFlags.logFormat).toBe("json");
    expect(fromFlags.local).toBe(false);
    expect(resolveSettings({}, {}).admin).toEqual({ username: "admin", password: null });
    expect(() => resolveSettings({ logFormat: "xml" }, {})).toThrow(/--log-format/);
  });

  it("reads the metrics token from a file, with a one-line error when it cannot", () => {
    const dir = mkdtempSync(join(tmpdir(), "wgfleet-settings-"));
    try {
      writeFileSync(join(dir, "token"), "s3cret\n");
      expect(resolveSettings({ metricsTokenFile: join(dir, "token") }, {}).metricsToken).toBe("s3cret");
      expect(resolveSettings({}, { WGFLEET_METRICS_TOKEN: "t" }).metricsToken).toBe("t");
      expect(() => resolveSettings({ metricsTokenFile: join(dir, "missing") }, {})).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
