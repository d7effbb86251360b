// The admin commands that need no agent, as a person runs them (the built binary, a real SQLite data
// dir next to a running server): list/remove users, list/revoke API keys, --json everywhere, one-line
// errors, and a data dir without a database refused instead of a fresh one made there.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, cleanEnv, runCli, type ServeProcess, startServe } from "./test-support/spawn-cli.js";

describe("wgfleet admin commands (built CLI, SQLite data dir)", () => {
  let dataDir: string;
  let server: ServeProcess | undefined;
  const env = cleanEnv({ WGFLEET_ADMIN_PASSWORD: "first-admin-pass" });
  const cli = (args: string[], input?: string) =>
    runCli([...args, "--data-dir", dataDir], { env, ...(input !== undefined ? { input } : {}) });

  beforeAll(async () => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-admin-"));
    server = await startServe(["--listen", "127.0.0.1:0", "--data-dir", dataDir, "--no-local"], env);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a data dir without a database, creating nothing there", async () => {
    const empty = mkdtempSync(join(tmpdir(), "wgfleet-nodb-"));
    try {
      for (const args of [
        ["user", "list"],
        ["apikey", "list"],
        ["node", "list"],
        ["peer", "list"],
      ]) {
        const result = await runCli([...args, "--data-dir", join(empty, "typo")], { env });
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(/^wgfleet: no wgfleet database in \S+typo; check --data-dir/);
        expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      }
      const user = await runCli(["user", "add", "x", "--role", "admin", "--data-dir", empty], {
        env,
        input: "some-password-1\n",
      });
      expect(user.code).toBe(1);
      expect(readdirSync(empty)).toEqual([]);
      expect(existsSync(join(empty, "typo"))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("lists users as a table and as JSON; removes one; refuses the last admin", async () => {
    const added = await cli(["user", "add", "erin", "--role", "viewer", "--json"], "erin-password-1\n");
    expect(added.code, added.stderr).toBe(0);
    const erin = JSON.parse(added.stdout) as { id: string; username: string; role: string };
    expect(erin).toMatchObject({ username: "erin", role: "viewer" });
    const table = await cli(["user", "list"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+ROLE/);
    expect(table.stdout).toMatch(/\berin\s+viewer\b/);
    const json = await cli(["user", "list", "--json"]);
    const users = (JSON.parse(json.stdout) as { items: Array<Record<string, unknown>> }).items;
    expect(users.map((user) => user.username).sort()).toEqual(["admin", "erin"]);
    for (const user of users) expect(Object.keys(user)).not.toContain("passwordHash");

    const removed = await cli(["user", "remove", "erin", "--json"]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: { id: erin.id, username: "erin" } });
    const last = await cli(["user", "remove", "admin"]);
    expect(last.code).toBe(1);
    expect(last.stderr.trimEnd().split("\n")).toHaveLength(1);
    const after = JSON.parse((await cli(["user", "list", "--json"])).stdout) as { items: unknown[] };
    expect(after.items).toHaveLength(1);
  });

  it("lists and revokes API keys; a revoked key no longer works against the server", async () => {
    const created = await cli(["apikey", "create", "--user", "admin", "--name", "ci", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const { apiKey, key } = JSON.parse(created.stdout) as {
      apiKey: { id: string; prefix: string };
      key: string;
    };
    const me = () => fetch(`${server?.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect((await me()).status).toBe(200);

    const listed = await cli(["apikey", "list", "--json"]);
    const keys = (JSON.parse(listed.stdout) as { items: Array<{ id: string; revokedAt: string | null }> })
      .items;
    expect(keys.find((k) => k.id === apiKey.id)?.revokedAt).toBeNull();
    expect(listed.stdout).not.toContain(key);
    const table = await cli(["apikey", "list", "--user", "admin"]);
    expect(table.stdout).toContain(`${apiKey.prefix}…`);
    expect(table.stdout).not.toContain(key);

    const revoked = await cli(["apikey", "revoke", apiKey.id, "--json"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((JSON.parse(revoked.stdout) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await me()).status).toBe(401);
    const unknown = await cli(["apikey", "revoke", "00000000-0000-4000-8000-000000000000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^wgfleet: API key \S+ not found\n$/);
  });

  it("node and peer commands on a fleet without nodes or configurations", async () => {
    const nodes = await cli(["node", "list", "--json"]);
    expect(nodes.code, nodes.stderr).toBe(0);
    // Only the local node, which admin commands never drive (it belongs to `serve`).
    expect((JSON.parse(nodes.stdout) as { items: Array<{ id: string }> }).items.map((n) => n.id)).toEqual([
      "local",
    ]);
    const peers = await cli(["peer", "list", "--json"]);
    expect(JSON.parse(peers.stdout)).toEqual({ items: [] });
    expect((await cli(["peer", "list"])).stdout).toBe("(none)\n");
    const add = await cli(["peer", "add", "phone"]);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/^wgfleet: there is no configuration yet/);
  });

  it.each([
    [["node", "add", "n1", "--endpoint", "h"], /^wgfleet: --agent-url is required\n$/],
    [
      ["node", "add", "n1", "--agent-url", "http://127.0.0.1:1", "--endpoint", "h", "--weight", "x"],
      /^wgfleet: --weight: expected a whole number/,
    ],
    [
      ["node", "add", "n1", "--agent-url", "http://127.0.0.1:1", "--endpoint", "h"],
      /^wgfleet: no secret given on stdin\n$/,
    ],
    [
      [
        "node",
        "add",
        "n1",
        "--agent-url",
        "http://127.0.0.1:1",
        "--endpoint",
        "h",
        "--secret-file",
        "/nonexistent/s",
      ],
      /^wgfleet: --secret-file: cannot read/,
    ],
    [["node", "test"], /^wgfleet: node test: missing NODE\n$/],
    [["node", "test", "nowhere"], /^wgfleet: node nowhere not found\n$/],
    [["node", "list", "--force"], /^wgfleet: --force: not for node list\n$/],
    [["node", "frob"], /^wgfleet: unknown node action "frob"/],
    [["peer", "add", "p", "--out", "f"], /^wgfleet: --out: not for peer add\n$/],
    [["peer", "add", "p", "--mtu", "big"], /^wgfleet: --mtu: expected a whole number/],
    [["peer", "remove", "nobody"], /^wgfleet: peer nobody not found\n$/],
    [["peer", "config"], /^wgfleet: peer config: missing PEER\n$/],
    [["peer", "list", "--bogus"], /^wgfleet: unknown flag --bogus \(see --help\)\n$/],
    [["apikey", "revoke"], /^wgfleet: apikey revoke: missing ID/],
    [["user", "list", "extra"], /^wgfleet: unexpected argument "extra"\n$/],
  ])("%j exits non-zero with one line", async (args, message) => {
    const result = await cli(args, "");
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints help for the new commands and the version", async () => {
    for (const args of [
      ["node", "--help"],
      ["peer", "--help"],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage");
      expect(result.stdout).toContain("--json");
    }
    const version = await runCli(["--version"], { env });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
