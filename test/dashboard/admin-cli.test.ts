// The admin CLI's node and peer commands against a running dashboard and a real agent (issue 16,
// "Admin CLI"): the built `wgfleet` binary in its own process on the dashboard's data dir, next to
// `serve` (from the sources) on the same SQLite database. Nodes are added (secret on stdin, never
// printed back), tested (a stopped agent exits non-zero) and removed; peers are added on a named
// node, listed, their config written 0600 and used by a client that pings through the tunnel, and
// removed (gone from the node). CLI and HTTP API creations at the same time get distinct addresses.
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  assertBuilt,
  type CliResult,
  cleanEnv,
  runCli,
} from "../../packages/dashboard/src/cli/test-support/spawn-cli.js";
import type { FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIG = "clinet";
const PORT = 51850;
const POOL = "198.51.100.0/25";

interface CliPeer {
  id: string;
  name: string;
  node: string;
  configuration: string;
  publicKey: string;
  addresses: string[];
  state: string;
}

describe.skipIf(skip)("wgfleet node / peer (built CLI next to a running dashboard, real agent)", () => {
  const current = useFleet({ nodes: 1, prefix: "cl" });
  const env = cleanEnv();
  const dataDir = () => current().dashboard?.dataDir as string;
  const cli = (args: string[], input?: string): Promise<CliResult> =>
    runCli([...args, "--data-dir", dataDir()], { env, ...(input !== undefined ? { input } : {}) });
  const ok = async (args: string[], input?: string): Promise<string> => {
    const result = await cli(args, input);
    expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const node = (): FleetNode => current().node(0);
  /** `wg show` of the node's interface: the public keys live there. */
  const livePeers = async (): Promise<string[]> =>
    (await node().wg(["show", node().interfaceName(0), "peers"])).split("\n").filter(Boolean);

  it("adds a node with the secret on stdin (never printed back), lists it, tests it", async () => {
    assertBuilt();
    const n = node();
    const added = await cli(
      ["node", "add", n.name, "--agent-url", n.agentUrl, "--endpoint", n.address, "--json"],
      `${n.secret}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const created = JSON.parse(added.stdout) as { id: string; name: string; status: string };
    expect(created).toMatchObject({ name: n.name, status: "online" });
    n.id = created.id;

    const listed = await ok(["node", "list", "--json"]);
    const items = (JSON.parse(listed) as { items: Array<{ id: string; name: string }> }).items;
    expect(items.map((item) => item.name)).toContain(n.name);
    const table = await ok(["node", "list"]);
    expect(table.split("\n")[0]).toMatch(/^ID\s+NAME\s+STATUS/);
    expect(table).toContain(n.agentUrl);
    for (const output of [added.stdout, added.stderr, listed, table]) expect(output).not.toContain(n.secret);

    const test = await ok(["node", "test", n.name]);
    expect(test).toMatch(new RegExp(`^${n.name}: reachable, agent \\d+\\.\\d+\\.\\d+ .*latency \\d+ ms`));
    const json = JSON.parse(await ok(["node", "test", created.id, "--json"])) as Record<string, unknown>;
    expect(json).toMatchObject({ node: created.id, ok: true, url: "ok", secret: "ok" });
    expect(typeof json.latencyMs).toBe("number");
    // The running dashboard sees the node the CLI added (its health poller re-reads the nodes table).
    const viaApi = await current().api.expect<{ status: string }>("GET", `/api/v1/nodes/${created.id}`);
    expect(viaApi.json.status).not.toBe("unavailable");

    // The same agent again is refused by the service's one-agent-one-node rule; nothing added.
    const again = await cli(
      ["node", "add", "other", "--agent-url", n.agentUrl, "--endpoint", n.address],
      `${n.secret}\n`,
    );
    expect(again.code).toBe(1);
    expect(again.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(/^wgfleet: /);
  }, 120_000);

  it("adds a peer on the named node: live there; config written 0600; a client pings through it", async () => {
    const fleet = current();
    const n = node();
    await fleet.api.expect("POST", "/api/v1/configurations", { name: CONFIG, clientAllowedIps: [POOL] });
    await fleet.api.expect(
      "POST",
      `/api/v1/configurations/${CONFIG}/interfaces`,
      { nodeId: n.id, listenPort: PORT, pool: POOL, interfaceName: n.interfaceName(0) },
      [201],
    );
    const peer = JSON.parse(await ok(["peer", "add", "laptop", "--node", n.name, "--json"])) as CliPeer;
    expect(peer).toMatchObject({ name: "laptop", node: n.id, configuration: CONFIG, state: "active" });
    expect(peer.addresses).toEqual(["198.51.100.2/32"]);
    expect(await livePeers()).toContain(peer.publicKey);

    const listed = JSON.parse(await ok(["peer", "list", "--configuration", CONFIG, "--json"])) as {
      items: CliPeer[];
    };
    expect(listed.items.map((p) => p.id)).toEqual([peer.id]);
    expect(await ok(["peer", "list", "--node", n.name])).toContain("laptop");

    const out = join(fleet.dir, "laptop.conf");
    const written = await cli(["peer", "config", "laptop", "--out", out]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe("");
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = await readFile(out, "utf8");
    expect(text).toMatch(/^\[Interface\]/);
    expect(text).toContain("Address = 198.51.100.2/32");
    // stdout holds the same file, nothing else (so `> file` works too).
    expect(`${(await ok(["peer", "config", peer.id])).trimEnd()}\n`).toBe(text);
    const client = await fleet.createClient(text);
    try {
      expect(await client.ping("198.51.100.1")).toBe(true);
    } finally {
      await fleet.removeClient(client);
    }
  }, 180_000);

  it("peer creations from the CLI and the API at the same time get distinct addresses, all live", async () => {
    const fleet = current();
    const names = ["c1", "c2", "c3"];
    const [cliAnswers, apiAnswers] = await Promise.all([
      Promise.all(
        names.map((name) => cli(["peer", "add", `cli-${name}`, "--configuration", CONFIG, "--json"])),
      ),
      Promise.all(
        names.map((name) =>
          fleet.api.post(`/api/v1/configurations/${CONFIG}/peers`, { name: `api-${name}`, node: node().id }),
        ),
      ),
    ]);
    for (const answer of cliAnswers) expect(answer.code, answer.stderr).toBe(0);
    for (const answer of apiAnswers) expect(answer.status, answer.text).toBe(201);
    const peers = (JSON.parse(await ok(["peer", "list", "--json"])) as { items: CliPeer[] }).items;
    expect(peers).toHaveLength(7);
    const addresses = peers.flatMap((p) => p.addresses);
    expect(new Set(addresses).size).toBe(addresses.length);
    const live = await livePeers();
    for (const p of peers) expect(live, p.name).toContain(p.publicKey);
  }, 180_000);

  it("removes a peer (gone from the node), refuses to remove a node with peers unless --force", async () => {
    const before = JSON.parse(await ok(["peer", "list", "--json"])) as { items: CliPeer[] };
    const laptop = before.items.find((p) => p.name === "laptop") as CliPeer;
    const removed = JSON.parse(await ok(["peer", "remove", "laptop", "--configuration", CONFIG, "--json"]));
    expect(removed).toEqual({ removed: laptop.id });
    expect(await livePeers()).not.toContain(laptop.publicKey);
    const missing = await cli(["peer", "config", "laptop"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^wgfleet: peer laptop not found\n$/);

    const refused = await cli(["node", "remove", node().name]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(await ok(["node", "remove", node().name, "--force", "--json"]))).toEqual({
      removed: node().id,
    });
    const nodes = (JSON.parse(await ok(["node", "list", "--json"])) as { items: Array<{ id: string }> })
      .items;
    expect(nodes.map((item) => item.id)).not.toContain(node().id);
    expect((JSON.parse(await ok(["peer", "list", "--json"])) as { items: unknown[] }).items).toEqual([]);
  }, 120_000);

  it("node test exits 1 naming the problem when the agent does not answer", async () => {
    const n = node();
    const added = await cli(
      ["node", "add", n.name, "--agent-url", n.agentUrl, "--endpoint", n.address],
      `${n.secret}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    await n.stopAgent();
    try {
      const test = await cli(["node", "test", n.name]);
      expect(test.code).toBe(1);
      expect(test.stdout).toMatch(new RegExp(`^${n.name}: NOT OK \\(unreachable\\): `));
      const json = await cli(["node", "test", n.name, "--json"]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: "unreachable" });
    } finally {
      await n.startAgent();
    }
  }, 120_000);
});
