// Issue 18 acceptance: the WGDashboard-compatible API against three real agents (wireguard-go in
// namespaces), driven by a client written from WGDashboard's documented API (wgd-client.ts) as a
// reseller bot drives it: create with and without keys, read the configuration, download the config
// (a client pings through it), restrict, allow, data limit and expiry jobs, reset, delete; a bulk add
// spread across the nodes; WGDashboard's known bad inputs refused with nothing created; scopes.
import { generateKeyPair } from "@wgfleet/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Fleet, FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { createConfiguration, deleteAllPeers, listPeers, placeConfiguration } from "../multinode/support.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { newJob, WgdClient } from "./wgd-client.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CFG = "wgd0";
const POOLS = ["198.51.100.0/27", "198.51.100.32/27", "198.51.100.64/27"];
const PREFIX = "/wgd";

/** The gateway of the /27 an address is in (the interface address of its node). */
function gatewayOf(allowedIp: string): string {
  const [a, b, c, d] = (allowedIp.split("/")[0] ?? "").split(".").map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return `${a}.${b}.${c}.${(d & ~31) + 1}`;
}

/** WGDashboard's date format, `days` from now. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
}

interface AuditEntry {
  apiKey: string | null;
  action: string;
}

describe.skipIf(skip)("the WGDashboard-compatible API (issue 18)", () => {
  const current = useFleet({
    nodes: 3,
    prefix: "wd",
    dashboard: { args: ["--wgdashboard-api", "--wgdashboard-prefix", PREFIX] },
  });
  let wgd: WgdClient;
  let scopedKey: string;
  let nativeKey: string;
  const fleet = (): Fleet => current();

  async function botAuditCount(): Promise<number> {
    const page = await fleet().api.expect<{ items: AuditEntry[] }>("GET", "/api/v1/audit?limit=500");
    return page.json.items.filter((entry) => entry.apiKey === "reseller-bot").length;
  }

  beforeAll(async () => {
    await fleet().registerNodes();
    await createConfiguration(fleet().api, CFG, ["198.51.100.0/24"]);
    await placeConfiguration(
      fleet(),
      CFG,
      fleet().nodes.map((node: FleetNode, i) => ({ node, pool: POOLS[i] as string, listenPort: 51840 })),
    );
    const scoped = await fleet().api.expect<{ key: string; apiKey: { scope: string } }>(
      "POST",
      "/api/v1/apikeys",
      { name: "reseller-bot", scope: "wgdashboard" },
      [201],
    );
    expect(scoped.json.apiKey.scope).toBe("wgdashboard");
    scopedKey = scoped.json.key;
    const native = await fleet().api.expect<{ key: string; apiKey: { scope: string } }>(
      "POST",
      "/api/v1/apikeys",
      { name: "native-script" },
      [201],
    );
    expect(native.json.apiKey.scope).toBe("api");
    nativeKey = native.json.key;
    wgd = new WgdClient(`${fleet().api.baseUrl}${PREFIX}`, scopedKey);
  });

  // Each scenario starts from an empty configuration, also after a failed one.
  afterEach(async () => {
    await deleteAllPeers(fleet().api, CFG);
  });

  it("takes only keys of the wgdashboard scope, and those work nowhere else", async () => {
    expect((await wgd.handshake()).status).toBe(true);
    const base = `${fleet().api.baseUrl}${PREFIX}`;
    const none = await new WgdClient(base, null).handshake();
    expect([none.httpStatus, none.status]).toEqual([401, false]);
    const native = await new WgdClient(base, nativeKey).getWireguardConfigurations();
    expect([native.httpStatus, native.status, native.message]).toEqual([
      401,
      false,
      "API Key does not exist",
    ]);
    const onNative = await fetch(`${fleet().api.baseUrl}/api/v1/configurations`, {
      headers: { authorization: `Bearer ${scopedKey}` },
    });
    expect(onNative.status).toBe(403);
    // Without the prefix there is no WGDashboard API.
    const unprefixed = await new WgdClient(fleet().api.baseUrl, scopedKey).call("GET", "handshake");
    expect(unprefixed.httpStatus).toBe(401);
  });

  it("runs a reseller bot's calls: create, info, download and ping, restrict, allow, jobs, reset, delete", async () => {
    const auditBefore = await botAuditCount();
    let writes = 0;
    const configurations = await wgd.getWireguardConfigurations();
    const listed = configurations.data.find((c) => c.Name === CFG);
    expect(listed?.PrivateKey).toBe("");
    expect(JSON.stringify(configurations.data)).not.toMatch(/PrivateKey":"[A-Za-z0-9+/]{43}=/);

    const generated = await wgd.addPeers(CFG, { name: "alice" });
    writes++;
    expect(generated.status, generated.message ?? "").toBe(true);
    const alice = generated.data[0];
    expect(alice?.name).toBe("alice");
    const own = generateKeyPair();
    const withKey = await wgd.addPeers(CFG, { name: "bob", public_key: own.publicKey, DNS: "1.1.1.1" });
    writes++;
    expect(withKey.status, withKey.message ?? "").toBe(true);
    expect(withKey.data[0]?.id).toBe(own.publicKey);
    const again = await wgd.addPeers(CFG, { name: "bob2", public_key: own.publicKey });
    writes++;
    expect([again.status, again.message]).toEqual([false, "This peer already exist"]);
    if (!alice) throw new Error("no peer");

    const info = await wgd.getWireguardConfigurationInfo(CFG);
    expect(info.data.configurationPeers.map((p) => p.name).sort()).toEqual(["alice", "bob"]);
    const counts = await wgd.getNumberOfAvailableIPs(CFG);
    expect(Object.values(counts.data).reduce((a, b) => a + b, 0)).toBe(3 * 29 - 2);
    const free = await wgd.getAvailableIPs(CFG);
    expect(Object.values(free.data).flat()).not.toContain(alice.allowed_ip);

    const download = await wgd.downloadPeer(CFG, alice.id);
    expect(download.data.file).toMatch(/^\[Interface\]/);
    expect((await wgd.downloadPeer(CFG, own.publicKey)).status).toBe(false);
    const client = await fleet().createClient(download.data.file);
    try {
      expect(await client.ping(gatewayOf(alice.allowed_ip))).toBe(true);
    } finally {
      await fleet().removeClient(client);
    }

    expect((await wgd.restrictPeers(CFG, [alice.id])).status).toBe(true);
    writes++;
    let state = await wgd.getWireguardConfigurationInfo(CFG);
    expect(state.data.configurationRestrictedPeers.map((p) => p.id)).toEqual([alice.id]);
    expect((await wgd.allowAccessPeers(CFG, [alice.id])).status).toBe(true);
    writes++;
    state = await wgd.getWireguardConfigurationInfo(CFG);
    expect(state.data.configurationRestrictedPeers).toEqual([]);

    const dataJob = newJob(CFG, alice.id, { Field: "total_data", Value: "5" });
    const saved = await wgd.savePeerScheduleJob(dataJob);
    writes++;
    expect(saved.status, saved.message ?? "").toBe(true);
    expect(saved.data.find((job) => job.Field === "total_data")?.JobID).toBe(dataJob.JobID);
    const dateJob = newJob(CFG, alice.id, { Field: "date", Value: "2099-01-31 23:59:59" });
    expect((await wgd.savePeerScheduleJob(dateJob)).status).toBe(true);
    writes++;
    const native = (await listPeers(fleet().api, CFG)).find((p) => p.publicKey === alice.id) as Record<
      string,
      any
    >;
    expect(native.quota).toMatchObject({ bytes: 5 * 1024 ** 3, period: "none", action: "disable" });
    expect(native.expiresAt).toBe("2099-01-31T23:59:59.000Z");
    const reset = await wgd.resetPeerData(CFG, alice.id);
    expect(reset.status, reset.message ?? "").toBe(true);
    writes++;
    expect((await wgd.deletePeerScheduleJob(dataJob)).status).toBe(true);
    writes++;
    const after = (await listPeers(fleet().api, CFG)).find((p) => p.publicKey === alice.id) as Record<
      string,
      any
    >;
    expect(after.quota).toBeNull();
    expect(after.expiresAt).toBe("2099-01-31T23:59:59.000Z");

    const share = await wgd.sharePeerCreate(CFG, alice.id, inDays(30));
    writes++;
    expect(share.status, share.message ?? "").toBe(true);
    const shared = await wgd.sharePeerGet(share.data[0]?.ShareID ?? "");
    expect(shared.data.file).toBe(download.data.file);
    const tooLate = await wgd.sharePeerCreate(CFG, alice.id, "2199-12-31 00:00:00");
    writes++;
    expect(tooLate.status).toBe(false);

    expect((await wgd.deletePeers(CFG, [alice.id, own.publicKey])).message).toBe("Deleted 2 peer(s)");
    writes++;
    expect(await listPeers(fleet().api, CFG)).toEqual([]);
    expect(await botAuditCount()).toBe(auditBefore + writes);
  });

  it("bulk-adds peers spread over the three nodes, and downloads them all", async () => {
    const bulk = await wgd.addPeers(CFG, { bulkAdd: true, bulkAddAmount: 12 });
    expect(bulk.status, bulk.message ?? "").toBe(true);
    expect(bulk.data).toHaveLength(12);
    const nodes = new Set((await listPeers(fleet().api, CFG)).map((peer) => peer.node));
    expect(nodes.size).toBe(3);
    expect((await wgd.downloadAllPeers(CFG)).data).toHaveLength(12);
    const deleted = await wgd.deletePeers(
      CFG,
      bulk.data.map((peer) => peer.id),
    );
    expect(deleted.status).toBe(true);
    expect(await listPeers(fleet().api, CFG)).toEqual([]);
  });

  it("refuses WGDashboard's known bad inputs with status false, creating nothing", async () => {
    const bad = [
      { name: "x1", allowed_ips: ["198.51.100.5/32\n; touch /tmp/wgd-pwned"], allowed_ips_validation: false },
      { name: "x2", allowed_ips: ["198.51.100.6/32 $(id)"], allowed_ips_validation: false },
      { name: "x3", DNS: "{{7*7}}" },
      { name: "[Peer]" },
      { name: "x4\n[Peer]\nPublicKey = x" },
      { name: "x5", private_key: "aGVsbG8=" },
    ];
    for (const body of bad) {
      const answer = await wgd.addPeers(CFG, body);
      expect([answer.status, typeof answer.message], JSON.stringify(body)).toEqual([false, "string"]);
    }
    expect((await wgd.addPeers("nope", { name: "y" })).message).toBe("Configuration does not exist");
    expect((await wgd.deletePeers("nope", ["k"])).httpStatus).toBe(404);
    expect((await wgd.restrictPeers(CFG, [])).status).toBe(false);
    expect(await listPeers(fleet().api, CFG)).toEqual([]);
  });
});
