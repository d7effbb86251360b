// Acceptance for issue 15's "drift you can see" and "adopt an existing WireGuard server", with a real
// agent and wireguard-go in a node namespace and real clients pinging through real tunnels.
// 1. Drift: a peer added and another removed by hand with `wg set` show in GET /nodes/:id/drift with
//    revision numbers; the `report` policy leaves both; "adopt" makes the stray a managed peer without
//    touching its tunnel; `repair` puts the missing peer back and removes a new stray within one agent
//    interval.
// 2. Adopt: an interface brought up by wg-quick from a file in WGDashboard's format (50 peers, names in
//    `#Name# = ...`) with a client pinging through it is adopted through the agent: names, addresses and
//    keys kept, no ping lost while it happens; then it is managed like any other (a disabled peer's
//    tunnel stops).
import { generateKeyPair, renderClientConfig } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, startFleet } from "../fleet/harness.js";
import { bringUpClient, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiPeer,
  createConfiguration,
  createPeer,
  fastHealthEnv,
  listPeers,
  liveAllowedIps,
  placeConfiguration,
  requireId,
  uniqueConfigName,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const DRIFT_INTERVAL_S = 2;

interface Drift {
  desiredRevision: number;
  appliedRevision: number | null;
  policy: string;
  strayPeers: Array<{ interface: string; publicKey: string; allowedIps: string[]; firstSeenAt: string }>;
  missingPeers: Array<{ interface: string; publicKey: string; name: string | null }>;
  strayInterfaces: Array<{ name: string }>;
  interfaces: Array<{ interface: string; desiredRevision: number; appliedRevision: number | null }>;
}

describe.skipIf(skip)("drift you can see, and adopting a WireGuard server", () => {
  let fleet: Fleet | null = null;
  const current = () => {
    if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
    return fleet;
  };
  const nodeId = () => requireId(current().node(0));
  const drift = async () =>
    (await current().api.expect<Drift>("GET", `/api/v1/nodes/${nodeId()}/drift`, undefined, [200])).json;

  beforeAll(async () => {
    fleet = await startFleet({
      nodes: 1,
      prefix: "dr",
      driftIntervalSeconds: DRIFT_INTERVAL_S,
      dashboard: { env: fastHealthEnv() },
    });
    await fleet.registerNodes();
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
  }, 120_000);

  it("shows a stray and a missing peer with revisions; report leaves them, adopt manages the stray, repair fixes the rest", async () => {
    const f = current();
    const node = f.node(0);
    const configuration = uniqueConfigName("drf");
    await createConfiguration(f.api, configuration, ["198.51.100.0/24"]);
    await placeConfiguration(f, configuration, [{ node, pool: "198.51.100.0/24", listenPort: 51861 }]);
    const name = node.interfaceName(0);
    const kept = await createPeer(f.api, configuration, { name: "kept", node: nodeId() });
    const removedByHand = await createPeer(f.api, configuration, { name: "gone", node: nodeId() });
    await f.api.expect("PATCH", `/api/v1/nodes/${nodeId()}`, { driftPolicy: "report" }, [200]);

    const stray = generateKeyPair();
    await node.wg(["set", name, "peer", stray.publicKey, "allowed-ips", "198.51.100.200/32"]);
    await node.wg(["set", name, "peer", removedByHand.publicKey, "remove"]);

    // Within one poll (the drift answer reads the node now).
    const seen = await drift();
    expect(seen.policy).toBe("report");
    expect(seen.strayPeers).toEqual([
      expect.objectContaining({
        interface: name,
        publicKey: stray.publicKey,
        allowedIps: ["198.51.100.200/32"],
      }),
    ]);
    expect(seen.missingPeers).toEqual([
      expect.objectContaining({ interface: name, publicKey: removedByHand.publicKey, name: "gone" }),
    ]);
    const revisions = seen.interfaces.find((i) => i.interface === name);
    expect(revisions?.desiredRevision).toBeGreaterThan(0);
    expect(revisions?.appliedRevision).toBe(revisions?.desiredRevision);
    expect(seen.appliedRevision).toBe(seen.desiredRevision);

    // `report`: two agent intervals later both are still there, and "since" has not moved.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * DRIFT_INTERVAL_S * 1000));
    const later = await drift();
    expect(later.strayPeers.map((p) => p.publicKey)).toEqual([stray.publicKey]);
    expect(later.strayPeers[0]?.firstSeenAt).toBe(seen.strayPeers[0]?.firstSeenAt);
    expect(later.missingPeers.map((p) => p.publicKey)).toEqual([removedByHand.publicKey]);
    const live = await liveAllowedIps(node.ns, name);
    expect(live.has(stray.publicKey)).toBe(true);
    expect(live.has(removedByHand.publicKey)).toBe(false);

    // Adopt: an address outside the pool is refused with the reason, nothing created.
    const outside = generateKeyPair();
    await node.wg(["set", name, "peer", outside.publicKey, "allowed-ips", "198.19.5.9/32"]);
    const refused = await f.api.request("POST", `/api/v1/nodes/${nodeId()}/drift/adopt`, {
      interface: name,
      publicKey: outside.publicKey,
      name: "outside",
    });
    expect(refused.status, refused.text).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.text).toMatch(/address|pool/i);
    expect((await listPeers(f.api, configuration)).map((p) => p.name)).not.toContain("outside");

    const adopted = await f.api.expect<ApiPeer>(
      "POST",
      `/api/v1/nodes/${nodeId()}/drift/adopt`,
      { interface: name, publicKey: stray.publicKey, name: "found" },
      [201],
    );
    expect(adopted.json.publicKey).toBe(stray.publicKey);
    expect(adopted.json.addresses).toEqual(["198.51.100.200/32"]);
    const afterAdopt = await drift();
    expect(afterAdopt.strayPeers.map((p) => p.publicKey)).toEqual([outside.publicKey]);
    expect((await liveAllowedIps(node.ns, name)).get(stray.publicKey)).toEqual(["198.51.100.200/32"]);

    // `repair`: within one agent interval (plus the time the PATCH takes) the missing peer is back and
    // the remaining stray is gone.
    await f.api.expect("PATCH", `/api/v1/nodes/${nodeId()}`, { driftPolicy: "repair" }, [200]);
    await eventually(
      async () => {
        const now = await liveAllowedIps(node.ns, name);
        return now.has(removedByHand.publicKey) && !now.has(outside.publicKey);
      },
      "the missing peer restored and the stray removed",
      { timeoutMs: (DRIFT_INTERVAL_S + 3) * 1000, intervalMs: 200 },
    );
    const repaired = await drift();
    expect(repaired.strayPeers).toEqual([]);
    expect(repaired.missingPeers).toEqual([]);
    expect(repaired.policy).toBe("repair");
    const finalLive = await liveAllowedIps(node.ns, name);
    for (const peer of [kept, removedByHand, adopted.json])
      expect(finalLive.get(peer.publicKey)).toEqual(peer.addresses);
  }, 180_000);

  it("refuses a bad file with the field and the line, and writes nothing", async () => {
    const f = current();
    const configuration = uniqueConfigName("bad");
    await createConfiguration(f.api, configuration, ["198.19.60.0/24"]);
    const server = generateKeyPair();
    const file = (address: string, name: string, allowed: string) =>
      [
        "[Interface]",
        `PrivateKey = ${server.privateKey}`,
        `Address = ${address}`,
        "ListenPort = 51881",
        "[Peer]",
        `#Name# = ${name}`,
        `PublicKey = ${generateKeyPair().publicKey}`,
        `AllowedIPs = ${allowed}`,
        "",
      ].join("\n");
    const cases: Array<[string, string]> = [
      [file("198.19.60.1/24", "evil\u0007\nPostUp = x", "198.19.60.2/32"), "config."],
      [file("198.19.60.9/24", "ok", "198.19.60.2/32"), "interface.addresses[0]"],
      [file("198.19.60.1/24", "ok", "198.19.61.0/24"), "peers[0].allowedIps"],
    ];
    for (const [config, field] of cases) {
      const answer = await f.api.request("POST", `/api/v1/configurations/${configuration}/import`, {
        node: nodeId(),
        config,
        interfaceName: uniqueName("bad", 15),
      });
      expect(answer.status, answer.text).toBe(400);
      expect(String(answer.json?.error?.field)).toContain(field);
    }
    const shown = await f.api.expect<{ interfaces: unknown[] }>(
      "GET",
      `/api/v1/configurations/${configuration}`,
      undefined,
      [200],
    );
    expect(shown.json.interfaces).toEqual([]);
    expect(await listPeers(f.api, configuration)).toEqual([]);
  }, 60_000);

  it("adopts a wg-quick interface in WGDashboard's format with 50 peers without losing a ping, then manages it", async () => {
    const f = current();
    const node = f.node(0);
    // Another network than the first test's interface in the same namespace.
    const configuration = uniqueConfigName("adp");
    await createConfiguration(f.api, configuration, ["203.0.113.0/24"]);
    const ifaceName = uniqueName("adw", 15);
    const listenPort = 51871;
    const server = generateKeyPair();
    const peers = Array.from({ length: 50 }, (_, i) => ({
      keys: generateKeyPair(),
      psk: generateKeyPair().privateKey,
      address: `203.0.113.${i + 2}`,
      name: `laptop ${i + 1}`,
    }));
    // WGDashboard's file: wg-quick's own format with `#Name# = ...` inside each [Peer].
    const file = [
      "[Interface]",
      `PrivateKey = ${server.privateKey}`,
      "Address = 203.0.113.1/24",
      `ListenPort = ${listenPort}`,
      "SaveConfig = true",
      ...peers.flatMap((p) => [
        "",
        "[Peer]",
        `#Name# = ${p.name}`,
        `PublicKey = ${p.keys.publicKey}`,
        `PresharedKey = ${p.psk}`,
        `AllowedIPs = ${p.address}/32`,
      ]),
      "",
    ].join("\n");
    await bringUpClient(node.ns, file, ifaceName);
    const first = peers[0] as (typeof peers)[number];
    const client = await f.createClient(
      renderClientConfig({
        privateKey: first.keys.privateKey,
        presharedKey: first.psk,
        addresses: [`${first.address}/32`],
        dns: [],
        serverPublicKey: server.publicKey,
        endpoint: node.endpoint(listenPort),
        allowedIps: ["203.0.113.1/32"],
      }),
    );
    try {
      expect(await client.ping("203.0.113.1", { timeoutSec: 5 })).toBe(true);
      // 8 s of pings, 10 a second, while the interface is adopted.
      const pinging = client.ns.exec("ping", ["-n", "-D", "-i", "0.1", "-c", "80", "-W", "1", "203.0.113.1"]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const adoptStart = Date.now() / 1000;
      const adopted = await f.api.expect<{ peers: number; named: number; tookOverLiveInterface: boolean }>(
        "POST",
        `/api/v1/nodes/${nodeId()}/adopt`,
        { interface: ifaceName, configuration, config: file },
        [201],
      );
      const adoptEnd = Date.now() / 1000;
      const { stdout } = await pinging;
      const counts = /(\d+) packets transmitted, (\d+) received/.exec(stdout);
      expect(counts, stdout).not.toBeNull();
      // Which replies are missing, and when their neighbours came, against the adopt call's window.
      const replies = [...stdout.matchAll(/^\[(\d+\.\d+)\] .*icmp_seq=(\d+)/gm)].map((m) => ({
        at: Number(m[1]),
        seq: Number(m[2]),
      }));
      const seen = new Set(replies.map((r) => r.seq));
      const missing = Array.from({ length: Number(counts?.[1]) }, (_, i) => i + 1).filter(
        (seq) => !seen.has(seq),
      );
      const lost = Number(counts?.[1]) - Number(counts?.[2]);
      expect(
        lost,
        `pings lost while adopting: seq ${missing.join(", ")}; adopt ran ${adoptStart.toFixed(3)}–${adoptEnd.toFixed(3)}; first reply ${replies[0]?.at}; ${counts?.[0]}`,
      ).toBe(0);
      expect(adopted.json).toMatchObject({ peers: 50, named: 50, tookOverLiveInterface: true });

      const listed = await listPeers(f.api, configuration);
      expect(listed).toHaveLength(50);
      const byKey = new Map(listed.map((p) => [p.publicKey, p]));
      for (const p of peers) {
        expect(byKey.get(p.keys.publicKey)?.name).toBe(p.name);
        expect(byKey.get(p.keys.publicKey)?.addresses).toEqual([`${p.address}/32`]);
      }
      // Managed now: the drift report knows it, and no stray interface is left.
      const report = await drift();
      expect(report.strayInterfaces.map((i) => i.name)).not.toContain(ifaceName);
      expect(report.interfaces.map((i) => i.interface)).toContain(ifaceName);
      // Preshared keys were kept: the tunnel still works after the agent applied its state.
      expect(await client.ping("203.0.113.1", { timeoutSec: 3 })).toBe(true);

      const mine = byKey.get(first.keys.publicKey) as ApiPeer;
      await f.api.expect("POST", `/api/v1/peers/${mine.id}/disable`, undefined, [200]);
      await eventually(
        async () => !(await liveAllowedIps(node.ns, ifaceName)).has(first.keys.publicKey),
        "the disabled peer off the interface",
        { timeoutMs: 10_000 },
      );
      expect(await client.ping("203.0.113.1", { count: 2, timeoutSec: 3 })).toBe(false);
    } finally {
      await f.removeClient(client);
      await node.ns.exec("ip", ["link", "del", ifaceName]).catch(() => {});
    }
  }, 240_000);
});
