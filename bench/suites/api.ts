// api: the built `wgfleet serve` with its local node on a real wireguard-go interface in a network
// namespace, driven over HTTP on loopback with an API key — issue 4's targets. Needs root.
// Every creation figure is checked: the peers must all be in `wg show` afterwards, or the suite fails.
// Pools are IPv6 (2001:db8::/32): the IPv4 test ranges hold 253 peers, the benches need 12,000.
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApiClient,
  allPeers,
  apiClient,
  createAdminApiKey,
  type ServerProcess,
  startServerProcess,
} from "../../test/dashboard/server-process.js";
import { cleanupStale, createNamespace, type TestNamespace, uniqueName } from "../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { percentile, rssMegabytes } from "../measure.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PREFIX = "dbb";
const CREATIONS = 1_000;
const CLIENTS = 8;
const LIST_PEERS = 10_000;
const LIST_SAMPLES = 200;
const LIST_ALL_SAMPLES = 30;
const LIST_ALL_WARMUP = 5;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function livePeers(ns: TestNamespace, name: string): Promise<Set<string>> {
  const { stdout } = await ns.exec("wg", ["show", name, "peers"]);
  return new Set(stdout.split("\n").filter(Boolean));
}

/** A configuration on the local node with an IPv6-only pool 2001:db8:NET::/64. */
async function createConfiguration(api: ApiClient, name: string, net: string): Promise<void> {
  const created = await api.request("POST", "/api/v1/configurations", {
    name,
    clientAllowedIps: ["2001:db8::/32"],
  });
  if (created.status !== 201) throw new Error(`configuration ${name}: ${created.status} ${created.text}`);
  const iface = await api.request("POST", `/api/v1/configurations/${name}/interfaces`, {
    nodeId: "local",
    listenPort: randomInt(20_000, 60_000),
    pool6: `2001:db8:${net}::/64`,
  });
  if (iface.status !== 201) throw new Error(`interface ${name}: ${iface.status} ${iface.text}`);
}

/** `count` creations from `clients` concurrent loops; returns the public keys the API answered with. */
async function createPeers(
  api: ApiClient,
  configuration: string,
  count: number,
  clients: number,
): Promise<string[]> {
  const keys: string[] = [];
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const i = next++;
      const answer = await api.request("POST", `/api/v1/configurations/${configuration}/peers`, {
        name: `peer-${String(i).padStart(5, "0")}`,
      });
      if (answer.status !== 201) throw new Error(`creation ${i}: ${answer.status} ${answer.text}`);
      keys.push(answer.json().publicKey);
    }
  };
  await Promise.all(Array.from({ length: clients }, () => loop()));
  return keys;
}

async function assertAllLive(ns: TestNamespace, name: string, keys: string[]): Promise<void> {
  const live = await livePeers(ns, name);
  const missing = keys.filter((key) => !live.has(key)).length;
  if (missing > 0 || live.size !== keys.length) {
    throw new Error(`${name}: ${missing} of ${keys.length} peers missing from wg show (${live.size} live)`);
  }
}

/**
 * Every peer of a 1,000-peer configuration through the list API's cursor, pages of 500 (`allPeers`, as
 * a client syncing its inventory does); p50 of LIST_ALL_SAMPLES full reads, each checked against the
 * keys the creations answered with.
 */
async function listAllBench(api: ApiClient, configuration: string, keys: string[]): Promise<BenchResult> {
  const expected = new Set(keys);
  const samples: number[] = [];
  for (let i = 0; i < LIST_ALL_WARMUP + LIST_ALL_SAMPLES; i++) {
    const t = performance.now();
    const peers = await allPeers(api, configuration);
    const ms = performance.now() - t;
    const seen = new Set(peers.map((peer) => peer.publicKey));
    if (peers.length !== keys.length || seen.size !== keys.length || ![...seen].every((k) => expected.has(k)))
      throw new Error(
        `list all ${configuration}: ${peers.length} peers, ${seen.size} distinct, not the created ones`,
      );
    if (i >= LIST_ALL_WARMUP) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return {
    bench: "api.list_peers_all_1000_ms",
    value: percentile(samples, 0.5),
    unit: "ms",
    target: "< 20",
    p90: percentile(samples, 0.9),
    samples: samples.length,
    pageSize: 500,
    peers: keys.length,
    load1: loadavg()[0],
  };
}

const suite: BenchSuite = {
  name: "api",
  description: "dashboard HTTP API against a real wireguard-go interface: creations, the peer list, memory",
  async *run(): AsyncIterable<BenchResult> {
    const missing = missingPrerequisites(wireguardPrerequisites());
    if (missing) throw new Error(`the api bench needs root and WireGuard: ${missing}`);
    await cleanupStale(PREFIX);
    const ns = await createNamespace(PREFIX);
    const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-bench-api-"));
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    const start = () => startServerProcess({ dataDir, netns: ns.name, adminPassword: password });
    let server: ServerProcess | undefined;
    try {
      server = await start();
      const key = await createAdminApiKey(server.url, password);
      let api = apiClient(server.url, key);
      const seq = uniqueName(PREFIX, 15);
      const conc = uniqueName(PREFIX, 15);
      const list = uniqueName(PREFIX, 15);
      await createConfiguration(api, seq, "b1");
      await createConfiguration(api, conc, "b2");
      await createConfiguration(api, list, "b3");

      let t0 = process.hrtime.bigint();
      const seqKeys = await createPeers(api, seq, CREATIONS, 1);
      const seqSeconds = seconds(t0);
      await assertAllLive(ns, seq, seqKeys);
      yield {
        bench: "api.create_peer_seq_1000",
        value: seqSeconds,
        unit: "s",
        target: "< 8",
        perCreateMs: (seqSeconds * 1000) / CREATIONS,
        load1: loadavg()[0],
      };

      t0 = process.hrtime.bigint();
      const concKeys = await createPeers(api, conc, CREATIONS, CLIENTS);
      const concSeconds = seconds(t0);
      await assertAllLive(ns, conc, concKeys);
      yield {
        bench: "api.create_peer_conc8_1000",
        value: concSeconds,
        unit: "s",
        target: "< 5",
        clients: CLIENTS,
        load1: loadavg()[0],
      };

      yield await listAllBench(api, conc, concKeys);

      // 10,000 peers in one configuration; the other two go, so the restarted server holds exactly these.
      t0 = process.hrtime.bigint();
      const listKeys = await createPeers(api, list, LIST_PEERS, CLIENTS);
      const fillSeconds = seconds(t0);
      for (const name of [seq, conc]) {
        const deleted = await api.request("DELETE", `/api/v1/configurations/${name}?force=true`);
        if (deleted.status !== 204) throw new Error(`delete ${name}: ${deleted.status} ${deleted.text}`);
      }
      await server.stop();
      server = await start();
      api = apiClient(server.url, key);
      await assertAllLive(ns, list, listKeys);

      const samples: number[] = [];
      let matched = -1;
      for (let i = 0; i < LIST_SAMPLES + 10; i++) {
        const term = `peer-0${String(i % 100).padStart(2, "0")}`;
        const t = performance.now();
        const page = await api.request(
          "GET",
          `/api/v1/configurations/${list}/peers?limit=100&search=${term}`,
        );
        const ms = performance.now() - t;
        if (page.status !== 200) throw new Error(`list: ${page.status} ${page.text}`);
        const body = page.json();
        if (body.total !== 100 || body.items.length !== 100)
          throw new Error(`list ${term}: ${body.total} matches`);
        matched = body.total;
        if (i >= 10) samples.push(ms); // the first requests warm up the JIT and caches
      }
      samples.sort((a, b) => a - b);
      yield {
        bench: "api.list_peers_p50_ms",
        value: percentile(samples, 0.5),
        unit: "ms",
        target: "< 25",
        p90: percentile(samples, 0.9),
        p99: percentile(samples, 0.99),
        samples: samples.length,
        peers: LIST_PEERS,
        matchesPerSearch: matched,
        fill10000Seconds: fillSeconds,
        load1: loadavg()[0],
      };

      yield {
        bench: "api.rss_mb_10000",
        value: await rssMegabytes(server.pid),
        unit: "MB",
        target: "< 150",
        peers: LIST_PEERS,
        note: "after a restart (full state pushed to the interface) and the list bench",
        load1: loadavg()[0],
      };
    } finally {
      await server?.stop();
      await ns.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default suite;
