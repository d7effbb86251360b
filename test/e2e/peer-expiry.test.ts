// Issue 13's acceptance: expiry and access schedules enforced by the node itself, judged by `wg show`
// on the node and by a client pinging through the tunnel. One fleet: a remote node whose agent runs on
// an injected clock (test/support/shifted-clock.ts) and the dashboard's local node.
// 1. A peer expiring 10 s after its creation on the remote node, the dashboard SIGKILLed right after
//    creating it: the node takes it off the kernel within 5 s of the time, the client's ping stops; the
//    dashboard, started again, shows it expired (status filters, suspension, history); a renewal brings
//    the ping back.
// 2. The same on the local node, the dashboard running.
// 3. A schedule window that closes 10 s from now (the node's clock) cuts the tunnel then; the node's
//    clock moved to just before the next window, it opens again.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, type FleetClient, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import type { TestNamespace } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { SHIFTED_CLOCK_MODULE, TEST_CLOCK_FILE_ENV, writeClockOffset } from "../support/shifted-clock.js";
import { saveFleetDiagnostics } from "./support/diagnostics.js";
import { parseWgDump } from "./support/live-interface.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "lc";
const CONFIGURATION = "lcnet";
const LISTEN_PORT = 51830;
const NODE_POOL = "203.0.113.0/26";
const NODE_GATEWAY = "203.0.113.1";
const LOCAL_POOL = "203.0.113.64/26";
const LOCAL_GATEWAY = "203.0.113.65";
/** The node takes an expired peer off the kernel within this long of its expiry (issue 13). */
const ENFORCEMENT_MS = 5_000;
/** A client whose peer came back re-handshakes after WireGuard's REKEY timers (about 15 s). */
const REHANDSHAKE_MS = 45_000;
const CLOCK_FILE = join(tmpdir(), `wgfleet-lc-clock-${randomBytes(4).toString("hex")}`);

interface ApiPeer {
  id: string;
  name: string;
  node: string;
  publicKey: string;
  expiresAt: string | null;
  suspension: { reason: string; since: string } | null;
}

interface Lifecycle {
  events: Array<{ kind: string; rule: string; detail: string }>;
}

describe.skipIf(skip)("expiry and access schedules enforced by the node (issue 13)", () => {
  const fleet = useFleet({
    nodes: 1,
    prefix: PREFIX,
    agentImports: [SHIFTED_CLOCK_MODULE],
    agentEnv: { [TEST_CLOCK_FILE_ENV]: CLOCK_FILE },
    dashboard: {
      local: true,
      env: { WGFLEET_HEALTH_INTERVAL_MS: "1000", WGFLEET_STATS_INTERVAL_SECONDS: "1" },
    },
  });
  const clients: FleetClient[] = [];

  beforeAll(async () => {
    await writeClockOffset(CLOCK_FILE, 0);
    const f = fleet();
    const [node] = await f.registerNodes();
    await eventually(async () => (await f.nodeStatus(node as FleetNode)) === "online", "node1 online", {
      timeoutMs: 60_000,
    });
    await f.api.expect("POST", "/api/v1/configurations", {
      name: CONFIGURATION,
      clientAllowedIps: ["203.0.113.0/24"],
    });
    const local = f.local as TestNamespace;
    for (const [nodeId, pool, endpoint, interfaceName] of [
      [node?.id, NODE_POOL, node?.endpoint(LISTEN_PORT), node?.interfaceName(0)],
      ["local", LOCAL_POOL, `${local.nsAddress}:${LISTEN_PORT}`, f.localInterfaceName(0)],
    ]) {
      await f.api.expect(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/interfaces`,
        { nodeId, listenPort: LISTEN_PORT, pool, endpoint, interfaceName },
        [201],
      );
    }
  }, 120_000);

  afterAll(async () => {
    await rm(CLOCK_FILE, { force: true });
  });

  beforeEach((context) => {
    context.onTestFailed(async () => {
      await saveFleetDiagnostics(fleet(), context.task.name);
    });
  });

  const api = () => fleet().api;
  const remote = () => fleet().node(0);

  /** The public keys live on an interface: the remote node's or (ns given) the local node's. */
  const liveKeys = async (where: FleetNode | TestNamespace, name: string): Promise<string[]> => {
    const dump =
      "exec" in where
        ? await where.exec("wg", ["show", name, "dump"]).then(
            (r) => r.stdout,
            () => "",
          )
        : (await where.wireguardLinks()).includes(name)
          ? await where.wg(["show", name, "dump"])
          : "";
    return dump.trim() === "" ? [] : parseWgDump(name, dump).peers.map((peer) => peer.publicKey);
  };

  const createPeer = async (body: Record<string, unknown>): Promise<ApiPeer> =>
    (await api().expect<ApiPeer>("POST", `/api/v1/configurations/${CONFIGURATION}/peers`, body, [201])).json;
  const getPeer = async (id: string): Promise<ApiPeer> =>
    (await api().expect<ApiPeer>("GET", `/api/v1/peers/${id}`, undefined, [200])).json;
  const configOf = async (id: string): Promise<string> =>
    (await api().expect("GET", `/api/v1/peers/${id}/config`, undefined, [200])).text;
  const idsWithStatus = async (status: string): Promise<string[]> =>
    (
      await api().expect<{ items: ApiPeer[] }>(
        "GET",
        `/api/v1/configurations/${CONFIGURATION}/peers?status=${status}`,
        undefined,
        [200],
      )
    ).json.items.map((peer) => peer.id);
  const lifecycleOf = async (id: string): Promise<Lifecycle> =>
    (await api().expect<Lifecycle>("GET", `/api/v1/peers/${id}/lifecycle`, undefined, [200])).json;
  const newClient = async (config: string): Promise<FleetClient> => {
    const client = await fleet().createClient(config);
    clients.push(client);
    return client;
  };

  /**
   * Watches the interface until `key` is gone: the last moment it was seen live and the first moment
   * it was not (the node's removal happened in between).
   */
  const watchRemoval = async (
    where: FleetNode | TestNamespace,
    name: string,
    key: string,
    timeoutMs: number,
  ): Promise<{ lastSeen: number; goneAt: number }> => {
    let lastSeen = 0;
    const goneAt = await eventually(
      async () => {
        const checkedAt = Date.now();
        if ((await liveKeys(where, name)).includes(key)) {
          lastSeen = checkedAt;
          return false;
        }
        return checkedAt;
      },
      `peer ${key} gone from ${name}`,
      { timeoutMs, intervalMs: 100 },
    );
    return { lastSeen, goneAt };
  };

  /** The dashboard shows the peer expired: both status filters, the suspension, a "suspended" event. */
  const expectShownExpired = async (peer: ApiPeer) => {
    const shown = await eventually(
      async () => {
        const got = await getPeer(peer.id);
        return got.suspension?.reason === "expired" ? got : null;
      },
      `${peer.name} reported suspended (expired)`,
      { timeoutMs: 20_000 },
    );
    expect(Date.parse(shown.suspension?.since ?? "")).toBeGreaterThanOrEqual(
      Date.parse(peer.expiresAt ?? "") - 1_000,
    );
    expect(await idsWithStatus("expired")).toContain(peer.id);
    expect(await idsWithStatus("suspended")).toContain(peer.id);
    const history = await lifecycleOf(peer.id);
    expect(history.events[0]).toMatchObject({ kind: "suspended", rule: "expiry" });
  };

  /** A renewal: the ping comes back, the suspension goes, a "restored" event is written. */
  const renewAndExpectBack = async (peer: ApiPeer, client: FleetClient, gateway: string) => {
    const renewed = await api().expect<ApiPeer>(
      "PATCH",
      `/api/v1/peers/${peer.id}`,
      { expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      [200],
    );
    expect(Date.parse(renewed.json.expiresAt ?? "")).toBeGreaterThan(Date.now());
    await eventually(() => client.ping(gateway, { timeoutSec: 2 }), `${peer.name}'s ping back`, {
      timeoutMs: REHANDSHAKE_MS,
      intervalMs: 0,
    });
    await eventually(
      async () => (await getPeer(peer.id)).suspension === null,
      `${peer.name} no longer suspended`,
      { timeoutMs: 20_000 },
    );
    expect(await idsWithStatus("suspended")).not.toContain(peer.id);
    expect((await lifecycleOf(peer.id)).events[0]).toMatchObject({ kind: "restored", rule: "expiry" });
  };

  it("1. a remote peer expiring 10 s after creation goes at that time with the dashboard killed; shown expired after a restart; a renewal brings it back", async () => {
    const f = fleet();
    const node = remote();
    const iface = node.interfaceName(0);
    const expiresAt = Date.now() + 10_000;
    const peer = await createPeer({
      name: "remote-expiring",
      node: node.id,
      expiresAt: new Date(expiresAt).toISOString(),
    });
    const config = await configOf(peer.id);
    await f.killDashboard();

    const client = await newClient(config);
    await eventually(() => client.ping(NODE_GATEWAY, { timeoutSec: 1 }), "a ping before the expiry", {
      timeoutMs: expiresAt - Date.now() - 500,
      intervalMs: 0,
    });
    const removal = await watchRemoval(
      node,
      iface,
      peer.publicKey,
      expiresAt - Date.now() + ENFORCEMENT_MS + 2_000,
    );
    expect(removal.lastSeen, "still live shortly before its expiry").toBeGreaterThan(expiresAt - 2_000);
    expect(removal.goneAt - expiresAt, "ms after the expiry it was gone").toBeLessThanOrEqual(ENFORCEMENT_MS);
    expect(await client.ping(NODE_GATEWAY, { count: 2, timeoutSec: 3 })).toBe(false);

    await f.startDashboard();
    await expectShownExpired(peer);
    // Still off: the dashboard's start-up push keeps it suspended on the node.
    expect(await liveKeys(node, iface)).not.toContain(peer.publicKey);

    await renewAndExpectBack(peer, client, NODE_GATEWAY);
    expect(await liveKeys(node, iface)).toContain(peer.publicKey);
  }, 180_000);

  it("2. a local-node peer expiring in 10 s goes at that time with the dashboard running; a renewal brings it back", async () => {
    const f = fleet();
    const local = f.local as TestNamespace;
    const iface = f.localInterfaceName(0);
    const expiresAt = Date.now() + 10_000;
    const peer = await createPeer({
      name: "local-expiring",
      node: "local",
      expiresAt: new Date(expiresAt).toISOString(),
    });
    const client = await newClient(await configOf(peer.id));
    await eventually(() => client.ping(LOCAL_GATEWAY, { timeoutSec: 1 }), "a ping before the expiry", {
      timeoutMs: expiresAt - Date.now() - 500,
      intervalMs: 0,
    });
    const removal = await watchRemoval(
      local,
      iface,
      peer.publicKey,
      expiresAt - Date.now() + ENFORCEMENT_MS + 2_000,
    );
    expect(removal.lastSeen).toBeGreaterThan(expiresAt - 2_000);
    expect(removal.goneAt - expiresAt).toBeLessThanOrEqual(ENFORCEMENT_MS);
    expect(await client.ping(LOCAL_GATEWAY, { count: 2, timeoutSec: 3 })).toBe(false);

    await expectShownExpired(peer);
    await renewAndExpectBack(peer, client, LOCAL_GATEWAY);
    expect(await liveKeys(local, iface)).toContain(peer.publicKey);
  }, 180_000);

  it("3. a schedule window closing 10 s from now (the node's clock) cuts the tunnel then; at the next window it opens again", async () => {
    const node = remote();
    const iface = node.interfaceName(0);
    const zone = "Europe/Berlin";
    // The first window ends on a minute boundary a little ahead; the next one starts a minute later.
    const end = Math.ceil((Date.now() + 90_000) / 60_000) * 60_000;
    const schedule = {
      timeZone: zone,
      windows: [
        { days: [0, 1, 2, 3, 4, 5, 6], from: clockTime(end - 7_200_000, zone), to: clockTime(end, zone) },
        {
          days: [0, 1, 2, 3, 4, 5, 6],
          from: clockTime(end + 60_000, zone),
          to: clockTime(end + 7_200_000, zone),
        },
      ],
    };
    const peer = await createPeer({ name: "scheduled", node: node.id, schedule });
    expect((await getPeer(peer.id)).suspension).toBeNull();
    const client = await newClient(await configOf(peer.id));
    await eventually(() => client.ping(NODE_GATEWAY, { timeoutSec: 1 }), "a ping inside the window", {
      timeoutMs: 20_000,
      intervalMs: 0,
    });

    // The node's clock to 10 s before the window closes.
    const closesAt = Date.now() + 10_000;
    await writeClockOffset(CLOCK_FILE, end - closesAt);
    const removal = await watchRemoval(node, iface, peer.publicKey, 10_000 + ENFORCEMENT_MS + 2_000);
    expect(removal.lastSeen, "live until shortly before the window closed").toBeGreaterThan(closesAt - 2_000);
    expect(removal.goneAt - closesAt).toBeLessThanOrEqual(ENFORCEMENT_MS);
    expect(await client.ping(NODE_GATEWAY, { count: 2, timeoutSec: 3 })).toBe(false);

    // The node's clock to 3 s before the next window opens.
    const opensAt = Date.now() + 3_000;
    await writeClockOffset(CLOCK_FILE, end + 60_000 - opensAt);
    await eventually(
      async () => (await liveKeys(node, iface)).includes(peer.publicKey),
      "the peer back on the kernel at the next window",
      { timeoutMs: 3_000 + ENFORCEMENT_MS + 2_000, intervalMs: 100 },
    );
    await eventually(() => client.ping(NODE_GATEWAY, { timeoutSec: 2 }), "the ping back", {
      timeoutMs: REHANDSHAKE_MS,
      intervalMs: 0,
    });
    // The node's clock back to the real time (inside the first window again).
    await writeClockOffset(CLOCK_FILE, 0);
  }, 180_000);
});

/** "HH:MM" of an instant in a time zone. */
function clockTime(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${part("hour")}:${part("minute")}`;
}
