// Remote nodes end to end (issue 5), on the fleet harness: two real agents in namespaces running
// wireguard-go, the dashboard from its sources with a 1 s health interval. Node CRUD (the secret is
// never returned or logged), `/test` naming what is wrong, configurations and peers on remote nodes
// (the client config carries the peer's own node's key and endpoint, and a client pings through it),
// a stopped agent (503, nothing left behind, offline, back online), one agent as one node (a second
// registration refused; a different agent answering held back until confirmed, then given its peers), stray peers and reconcile, a crash between allocation and the agent call settled at the next
// start, and forced node deletion.
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { generateKeyPair } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { type ApiAnswer, eventually, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { CRASH_AFTER_ALLOCATE_MODULE, CRASH_PUBLIC_KEY_ENV } from "../support/crash-after-allocate.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIG = "rnnet";
const PORT = 51830;
const POOLS = ["198.51.100.0/25", "198.51.100.128/25"];
/** The dashboard's health interval in these tests (WGFLEET_HEALTH_INTERVAL_SECONDS). */
const INTERVAL_MS = 1_000;
/** The peer "crashme" brings this key: the dashboard SIGKILLs itself after its allocation. */
const CRASH_KEY = generateKeyPair().publicKey;

interface ApiNode {
  id: string;
  name: string;
  local: boolean;
  agentUrl: string | null;
  endpointHost: string | null;
  enabled: boolean;
  weight: number;
  maxPeers: number;
  status: string;
  statusReason: string | null;
  lastSeenAt: string | null;
  lastHealth: { version?: string; interfaces?: unknown[] } | null;
  agentInstanceId: string | null;
  peerCount: number;
  pools: Array<{ interface: string; cidr: string; allocated: number }>;
}

interface ApiPeer {
  id: string;
  name: string;
  node: string;
  interface: string;
  publicKey: string;
  addresses: string[];
  enabled: boolean;
  state: string;
}

describe.skipIf(skip)("remote nodes through the API against real agents", () => {
  const current = useFleet({
    nodes: 2,
    prefix: "rn",
    dashboard: {
      env: {
        NODE_ENV: "test",
        WGFLEET_HEALTH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
        WGFLEET_AGENT_TIMEOUT_SECONDS: "2",
        [CRASH_PUBLIC_KEY_ENV]: CRASH_KEY,
      },
      imports: [CRASH_AFTER_ALLOCATE_MODULE],
    },
  });
  const node = (i: number) => current().node(i);
  /** Every answer of the node routes, scanned for the secrets at the end. */
  const answers: Array<[string, string]> = [];
  const extraSecrets: string[] = [];

  const api = () => current().api;
  const call = async (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown) => {
    const answer = await api().request(method, path, body);
    answers.push([`${method} ${path} → ${answer.status}`, answer.text]);
    return answer;
  };
  const nodeOf = async (id: string) => (await call("GET", `/api/v1/nodes/${id}`)).json as ApiNode;
  const waitStatus = (n: FleetNode, status: string, timeoutMs = 20 * INTERVAL_MS) =>
    eventually(async () => (await nodeOf(n.id as string)).status === status, `${n.name} ${status}`, {
      timeoutMs,
    });
  const peersOf = async (): Promise<ApiPeer[]> =>
    (await api().expect<{ items: ApiPeer[] }>("GET", `/api/v1/configurations/${CONFIG}/peers?limit=500`)).json
      .items;
  /** POST a peer; `json` is the peer (201) or the API's error body. */
  const createPeer = async (name: string, nodeId: string): Promise<ApiAnswer> =>
    api().post(`/api/v1/configurations/${CONFIG}/peers`, { name, node: nodeId });
  /** `wg show NAME allowed-ips` inside the node's namespace: public key → allowed IPs. */
  const live = async (n: FleetNode): Promise<Map<string, string[]>> => {
    const out = await n.wg(["show", n.interfaceName(0), "allowed-ips"]).catch(() => "");
    const peers = new Map<string, string[]>();
    for (const line of out.split("\n").filter(Boolean)) {
      const [key, ips = ""] = line.split("\t");
      peers.set(key as string, ips === "(none)" ? [] : ips.split(/\s+/).filter(Boolean));
    }
    return peers;
  };
  const allocated = async (n: FleetNode) =>
    (await nodeOf(n.id as string)).pools.find((p) => p.interface === n.interfaceName(0))?.allocated ?? 0;

  it("adds nodes: 201 with the node (status asked at once, defaults applied, no secret); bad input refused", async () => {
    const fleet = current();
    for (const n of fleet.nodes) {
      const answer = await call("POST", "/api/v1/nodes", {
        name: n.name,
        agentUrl: n.agentUrl,
        secret: n.secret,
        endpoint: n.address,
      });
      expect(answer.status, answer.text).toBe(201);
      const created = answer.json as ApiNode;
      n.id = created.id;
      expect(created).toMatchObject({
        name: n.name,
        local: false,
        agentUrl: n.agentUrl,
        endpointHost: n.address,
        enabled: true,
        weight: 100,
        maxPeers: 1000,
        status: "online",
        peerCount: 0,
      });
      expect(created.lastHealth?.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Object.keys(created)).not.toContain("secret");
    }
    const duplicate = await call("POST", "/api/v1/nodes", {
      name: "node1",
      agentUrl: `http://127.0.0.1:${await closedPort()}`,
      secret: node(0).secret,
      endpoint: node(0).address,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.field).toBe("name");
    const shortSecret = await call("POST", "/api/v1/nodes", {
      name: "short",
      agentUrl: node(0).agentUrl,
      secret: "tooshort",
      endpoint: node(0).address,
    });
    expect(shortSecret.status).toBe(400);
    expect(shortSecret.json.error.field).toBe("secret");
    expect(shortSecret.text).not.toContain("tooshort");
    const withPort = await call("POST", "/api/v1/nodes", {
      name: "port",
      agentUrl: node(0).agentUrl,
      secret: node(0).secret,
      endpoint: `${node(0).address}:51820`,
    });
    expect(withPort.status).toBe(400);
    expect(withPort.json.error.field).toBe("endpoint");
    const unknownField = await call("POST", "/api/v1/nodes", {
      name: "x",
      agentUrl: node(0).agentUrl,
      secret: node(0).secret,
      endpoint: node(0).address,
      pool: "198.51.100.0/24",
    });
    expect(unknownField.status).toBe(400);
  }, 120_000);

  it("one agent is one node: adding it again, however its URL is spelled or by another address, is 409 naming the first node", async () => {
    const first = node(0);
    const before = (await call("GET", "/api/v1/nodes")).json.items.length;
    const spellings = [
      first.agentUrl,
      `${first.agentUrl.replace("http://", "HTTP://")}/`,
      // Another address of the same agent: only its instance id tells it is the same one.
      first.agentUrl.replace(first.address, `[::ffff:${first.address}]`),
    ];
    for (const agentUrl of spellings) {
      const again = await call("POST", "/api/v1/nodes", {
        name: "again",
        agentUrl,
        secret: first.secret,
        endpoint: first.address,
      });
      expect(again.status, `${agentUrl}: ${again.text}`).toBe(409);
      expect(again.json.error).toMatchObject({ code: "CONFLICT", field: "agentUrl" });
      expect(again.json.error.message).toContain(first.name);
      expect(again.json.error.message).toContain(first.id);
    }
    // Nor may another node be pointed at it.
    const moved = await call("PATCH", `/api/v1/nodes/${node(1).id}`, { agentUrl: `${first.agentUrl}/` });
    expect(moved.status, moved.text).toBe(409);
    expect(moved.json.error.message).toContain(first.name);
    expect((await call("GET", "/api/v1/nodes")).json.items.length).toBe(before);
    expect((await nodeOf(node(1).id as string)).agentUrl).toBe(node(1).agentUrl);
    expect((await nodeOf(first.id as string)).agentInstanceId).toMatch(/^[0-9a-f-]{36}$/);
  }, 120_000);

  it("/test says exactly what is wrong: nothing, a bad secret, an unreachable URL, a URL that is no agent", async () => {
    const good = await call("POST", `/api/v1/nodes/${node(0).id}/test`);
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({
      ok: true,
      problem: null,
      url: "ok",
      secret: "ok",
      clock: "ok",
      version: "ok",
    });

    const wrongSecret = `wrong-${node(1).secret}`;
    extraSecrets.push(wrongSecret);
    // One agent serves one node: the wrong secret is tried on node2 itself, then put right again.
    const n2 = node(1).id as string;
    expect((await call("PATCH", `/api/v1/nodes/${n2}`, { secret: wrongSecret })).status).toBe(200);
    const badSecret = await call("POST", `/api/v1/nodes/${n2}/test`);
    expect(badSecret.json).toMatchObject({ ok: false, problem: "bad_secret", url: "ok", secret: "failed" });
    expect(badSecret.json.signatureFailure).toMatch(/unknown_key_id|bad_signature/);
    expect((await call("PATCH", `/api/v1/nodes/${n2}`, { secret: node(1).secret })).status).toBe(200);
    await waitStatus(node(1), "online");

    const cases = [
      {
        name: "nowhere",
        agentUrl: `http://127.0.0.1:${await closedPort()}`,
        secret: node(1).secret,
        problem: "unreachable",
        message: /connection refused/,
      },
      {
        name: "notagent",
        agentUrl: current().api.baseUrl,
        secret: node(1).secret,
        problem: "not_an_agent",
        message: /not as a wgfleet agent/,
      },
    ];
    for (const c of cases) {
      const created = await call("POST", "/api/v1/nodes", {
        name: c.name,
        agentUrl: c.agentUrl,
        secret: c.secret,
        endpoint: "vpn.example.com",
      });
      expect(created.status, created.text).toBe(201);
      expect((created.json as ApiNode).status).not.toBe("online");
      const test = await call("POST", `/api/v1/nodes/${created.json.id}/test`);
      expect(test.status).toBe(200);
      expect(test.json.ok, `${c.name}: ${test.text}`).toBe(false);
      expect(test.json.problem, c.name).toBe(c.problem);
      expect(test.json.message, c.name).toMatch(c.message);
      // A node that never answered still has a drift view: what the dashboard wants, nothing observed.
      const drift = await call("GET", `/api/v1/nodes/${created.json.id}/drift`);
      expect(drift.status, `${c.name}: ${drift.text}`).toBe(200);
      expect(drift.json, c.name).toMatchObject({
        stale: true,
        checkedAt: null,
        appliedRevision: null,
        inSync: false,
      });
      expect((await call("DELETE", `/api/v1/nodes/${created.json.id}`)).status).toBe(204);
    }
    expect((await call("POST", "/api/v1/nodes/no-such-node/test")).status).toBe(404);
  }, 120_000);

  it("puts a configuration on both nodes; a peer on node2 is live there and its config carries node2's key and endpoint", async () => {
    const fleet = current();
    await api().expect("POST", "/api/v1/configurations", {
      name: CONFIG,
      clientAllowedIps: ["198.51.100.0/24"],
    });
    const keys: string[] = [];
    for (const [i, n] of fleet.nodes.entries()) {
      const iface = await api().expect<{ publicKey: string; endpoint: string; name: string }>(
        "POST",
        `/api/v1/configurations/${CONFIG}/interfaces`,
        { nodeId: n.id, listenPort: PORT, pool: POOLS[i], interfaceName: n.interfaceName(0) },
        [201],
      );
      // No endpoint given: the node's endpoint host with the interface's listen port.
      expect(iface.json.endpoint).toBe(n.endpoint(PORT));
      expect(iface.json.name).toBe(n.interfaceName(0));
      expect((await n.wg(["show", n.interfaceName(0), "public-key"])).trim()).toBe(iface.json.publicKey);
      keys.push(iface.json.publicKey);
    }
    const answer = await createPeer("on-node2", node(1).id as string);
    expect(answer.status, answer.text).toBe(201);
    const peer = answer.json as ApiPeer;
    expect(peer).toMatchObject({ node: node(1).id, state: "active", addresses: ["198.51.100.130/32"] });
    expect((await live(node(1))).get(peer.publicKey)).toEqual(["198.51.100.130/32"]);
    expect((await live(node(0))).has(peer.publicKey)).toBe(false);

    const config = await api().expect("GET", `/api/v1/peers/${peer.id}/config`, undefined, [200]);
    expect(config.text).toContain(`PublicKey = ${keys[1]}`);
    expect(config.text).toContain(`Endpoint = ${node(1).endpoint(PORT)}`);
    expect(config.text).not.toContain(keys[0] as string);
    const client = await fleet.createClient(peer.id);
    try {
      expect(await client.ping("198.51.100.129")).toBe(true);
    } finally {
      await fleet.removeClient(client);
    }
    // The agents hold exactly the database's desired state (equal digests): three health rounds later
    // nothing was pushed to them.
    await sleep(3 * INTERVAL_MS);
    const log = await readFile(fleet.dashboard?.logFile as string, "utf8");
    expect(log).not.toContain("pushed the full desired state");
    expect((await nodeOf(node(1).id as string)).status).toBe("online");
  }, 120_000);

  it("edits, disables, enables and deletes a remote peer through its node only", async () => {
    const created = (await createPeer("lifecycle", node(0).id as string)).json as ApiPeer;
    expect(created.node).toBe(node(0).id);
    const moved = await api().expect<ApiPeer>("PATCH", `/api/v1/peers/${created.id}`, {
      addresses: ["198.51.100.50"],
    });
    expect(moved.json.addresses).toEqual(["198.51.100.50/32"]);
    expect((await live(node(0))).get(created.publicKey)).toEqual(["198.51.100.50/32"]);
    await api().expect("POST", `/api/v1/peers/${created.id}/disable`);
    expect((await live(node(0))).has(created.publicKey)).toBe(false);
    await api().expect("POST", `/api/v1/peers/${created.id}/enable`);
    expect((await live(node(0))).get(created.publicKey)).toEqual(["198.51.100.50/32"]);
    await api().expect("DELETE", `/api/v1/peers/${created.id}`, undefined, [204]);
    expect((await live(node(0))).has(created.publicKey)).toBe(false);
    expect((await live(node(1))).has(created.publicKey)).toBe(false);
  }, 120_000);

  it("a stopped agent: creation answers 503 and leaves nothing; offline, back online, the same address next", async () => {
    const fleet = current();
    const n1 = node(0);
    const before = { peers: (await peersOf()).length, allocated: await allocated(n1) };
    await fleet.stopAgent(0);
    const refused = await createPeer("refused", n1.id as string);
    expect(refused.status, refused.text).toBe(503);
    expect(refused.json.error.code).toBe("NODE_UNAVAILABLE");
    expect(refused.json.error.message).toMatch(/node1/);
    expect((await peersOf()).length).toBe(before.peers);
    expect(await allocated(n1)).toBe(before.allocated);

    await waitStatus(n1, "offline", 10 * INTERVAL_MS);
    expect((await nodeOf(n1.id as string)).statusReason).toMatch(/offline/);
    const auto = await createPeer("auto-while-offline", "auto");
    expect(auto.status, auto.text).toBe(201);
    expect(auto.json.node).toBe(node(1).id);

    await fleet.startAgent(0);
    await waitStatus(n1, "online");
    const next = await createPeer("after-restart", n1.id as string);
    expect(next.status, next.text).toBe(201);
    // The lowest free address of node1's pool (.1 is the gateway): the one the refused creation had.
    expect(next.json.addresses).toEqual(["198.51.100.2/32"]);
    expect((await live(n1)).get(next.json.publicKey)).toEqual(["198.51.100.2/32"]);
  }, 120_000);

  it("a different agent at a node's URL (wiped state dir) is held back: degraded, writes 503, nothing sent; confirm adopts it and brings every peer back", async () => {
    const fleet = current();
    const n2 = node(1);
    const id = n2.id as string;
    const bound = (await nodeOf(id)).agentInstanceId;
    expect(bound).toMatch(/^[0-9a-f-]{36}$/);
    const expected = (await peersOf()).filter((p) => p.node === id && p.enabled);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    await fleet.stopAgent(1);
    await fleet.startAgent(1, { wipeState: true });
    await eventually(
      async () => {
        const seen = await nodeOf(id);
        return seen.status === "degraded" && /a different agent answers here/.test(seen.statusReason ?? "");
      },
      "node2 degraded: a different agent answers",
      { timeoutMs: 10 * INTERVAL_MS },
    );
    const reason = (await nodeOf(id)).statusReason ?? "";
    expect(reason).toMatch(/confirm it on the node's page/);
    expect(reason, "the reason is for admins: no ids").not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    const refused = await createPeer("while-held-back", id);
    expect(refused.status, refused.text).toBe(503);
    expect(refused.json.error.code).toBe("NODE_UNAVAILABLE");
    expect(refused.json.error.message).toContain(n2.name);
    expect(refused.json.error.message).toMatch(/a different agent answers here/);
    const reconcile = await call("POST", `/api/v1/nodes/${id}/reconcile`);
    expect(reconcile.status, reconcile.text).toBe(503);
    // Several polls later the wiped agent still holds nothing: no full state, no peer was sent.
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS));
    expect((await live(n2)).size).toBe(0);
    expect(await n2.wireguardLinks(), await n2.agentLog(6000)).toEqual([]);
    expect((await nodeOf(id)).status).toBe("degraded");

    expect((await api().anonymous().post(`/api/v1/nodes/${id}/confirm-agent`)).status).toBe(401);
    const confirmed = await call("POST", `/api/v1/nodes/${id}/confirm-agent`);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json.agentInstanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(confirmed.json.agentInstanceId).not.toBe(bound);
    await eventually(
      async () => {
        const peers = await live(n2);
        return expected.every((p) => JSON.stringify(peers.get(p.publicKey)) === JSON.stringify(p.addresses));
      },
      "every peer of node2 back after the confirmation",
      { timeoutMs: 20 * INTERVAL_MS },
    );
    await waitStatus(n2, "online");
  }, 120_000);

  it("a stray peer makes the node degraded; reconcile removes it and the node is online again", async () => {
    const n1 = node(0);
    const stray = generateKeyPair().publicKey;
    await n1.wg(["set", n1.interfaceName(0), "peer", stray, "allowed-ips", "203.0.113.9/32"]);
    await eventually(
      async () => {
        const listed = await nodeOf(n1.id as string);
        return listed.status === "degraded" && /stray/.test(listed.statusReason ?? "");
      },
      "node1 degraded with a stray peer",
      { timeoutMs: 20 * INTERVAL_MS },
    );
    const reconciled = await call("POST", `/api/v1/nodes/${n1.id}/reconcile`);
    expect(reconciled.status, reconciled.text).toBe(200);
    expect(reconciled.json.interfaces).toEqual([
      expect.objectContaining({ interface: n1.interfaceName(0), strayRemoved: 1 }),
    ]);
    expect((await live(n1)).has(stray)).toBe(false);
    await waitStatus(n1, "online");
  }, 120_000);

  it("a crash between allocation and the agent call is settled at the next start", async () => {
    const fleet = current();
    const n1 = node(0);
    const before = { peers: await peersOf(), live: await live(n1) };
    const crashed = await api()
      .post(`/api/v1/configurations/${CONFIG}/peers`, { name: "crashme", node: n1.id, publicKey: CRASH_KEY })
      .then(
        (answer) => answer.status,
        () => "no answer",
      );
    expect(crashed).toBe("no answer");
    await eventually(async () => fleet.dashboard?.running === false, "the dashboard process gone");
    await fleet.startDashboard();
    const after = await peersOf();
    expect(after.map((p) => p.name).sort()).toEqual(before.peers.map((p) => p.name).sort());
    expect(after.every((p) => p.state === "active")).toBe(true);
    expect(await allocated(n1)).toBe(after.filter((p) => p.node === n1.id).length);
    expect([...(await live(n1)).keys()].sort()).toEqual([...before.live.keys()].sort());
    // The address the crash had taken is handed out again.
    const next = await createPeer("after-crash", n1.id as string);
    expect(next.status, next.text).toBe(201);
    expect(next.json.addresses).toEqual(["198.51.100.3/32"]);
  }, 120_000);

  it("node listings and the dropdown carry status, health and counts, never a secret (nor the log)", async () => {
    const fleet = current();
    const list = await call("GET", "/api/v1/nodes");
    const items = list.json.items as ApiNode[];
    expect(items[0]?.id).toBe("local");
    const n1 = items.find((item) => item.id === node(0).id) as ApiNode;
    expect(n1).toMatchObject({ status: "online", peerCount: 2 });
    expect(n1.lastSeenAt).not.toBeNull();
    expect(n1.pools).toEqual([
      expect.objectContaining({ interface: node(0).interfaceName(0), cidr: POOLS[0], allocated: 2 }),
    ]);
    const enabled = await call("GET", "/api/nodes/enabled");
    for (const entry of enabled.json as Array<Record<string, unknown>>) {
      expect(Object.keys(entry).sort()).toEqual([
        "activePeers",
        "id",
        "maxPeers",
        "name",
        "status",
        "weight",
      ]);
    }
    const patched = await call("PATCH", `/api/v1/nodes/${node(0).id}`, {
      weight: 150,
      secret: node(0).secret,
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ weight: 150, status: "online" });
    await call("GET", `/api/v1/nodes/${node(1).id}/pools`);
    const secrets = [...fleet.nodes.map((n) => n.secret), ...extraSecrets];
    const log = await readFile(fleet.dashboard?.logFile as string, "utf8");
    for (const [what, text] of [...answers, ["dashboard log", log] as [string, string]]) {
      for (const secret of secrets) {
        for (let at = 0; at + 12 <= secret.length; at += 12) {
          expect(text.includes(secret.slice(at, at + 12)), `${what} contains part of a node secret`).toBe(
            false,
          );
        }
      }
    }
  }, 120_000);

  it("deleting a node with peers is refused; forced, its peers, addresses and interface are gone", async () => {
    const fleet = current();
    const n2 = node(1);
    const refused = await call("DELETE", `/api/v1/nodes/${n2.id}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.field).toBe("force");
    expect((await call("DELETE", `/api/v1/nodes/${n2.id}?force=true`)).status).toBe(204);
    expect((await call("GET", `/api/v1/nodes/${n2.id}`)).status).toBe(404);
    expect((await peersOf()).some((p) => p.node === n2.id)).toBe(false);
    expect(await n2.wireguardLinks()).toEqual([]);
    const configuration = await api().expect<{ interfaces: Array<{ nodeId: string }> }>(
      "GET",
      `/api/v1/configurations/${CONFIG}`,
    );
    expect(configuration.json.interfaces.map((i) => i.nodeId)).toEqual([node(0).id]);
    n2.id = null;
    expect(fleet.nodes).toHaveLength(2);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A loopback port nothing listens on (bound, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
