// wgdashboard: the WGDashboard-compatible API (issue 18) on the built `wgfleet serve` with its local
// node on a real wireguard-go interface in a namespace, driven by the test client written from
// WGDashboard's documented API: a bulk add of 100 peers, then 1,000 sequential single adds (WGDashboard
// 4.3 took 548 s for those on this machine). Every peer must be in `wg show` afterwards. The client
// sends over node:http with a keep-alive agent, as the api bench's does (fetch costs the client about
// twice the CPU per request, on the same 2 cores as the server); the same 1,000 adds over fetch follow,
// for comparison, without a target.
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApiClient,
  apiClient,
  createAdminApiKey,
  keepAliveHttp,
  type ServerProcess,
  startServerProcess,
} from "../../test/dashboard/server-process.js";
import { cleanupStale, createNamespace, type TestNamespace, uniqueName } from "../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { WgdClient, type WgdTransport } from "../../test/wgdashboard/wgd-client.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PREFIX = "dbw";
const BULK = 100;
const SINGLES = 1_000;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function createConfiguration(api: ApiClient, name: string): Promise<void> {
  const created = await api.request("POST", "/api/v1/configurations", {
    name,
    clientAllowedIps: ["2001:db8::/32"],
  });
  if (created.status !== 201) throw new Error(`configuration ${name}: ${created.status} ${created.text}`);
  const iface = await api.request("POST", `/api/v1/configurations/${name}/interfaces`, {
    nodeId: "local",
    listenPort: randomInt(20_000, 60_000),
    pool6: "2001:db8:77::/64",
  });
  if (iface.status !== 201) throw new Error(`interface ${name}: ${iface.status} ${iface.text}`);
}

/** The WGDashboard client's requests over `keepAliveHttp` instead of fetch. */
function keepAliveTransport(baseUrl: string): WgdTransport {
  const send = keepAliveHttp(baseUrl);
  return (method, url, headers, body) => {
    const { pathname, search } = new URL(url);
    return send(method, `${pathname}${search}`, headers, body);
  };
}

/** `count` sequential single adds; the seconds they took. */
async function singleAdds(wgd: WgdClient, name: string, count: number, tag: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const added = await wgd.addPeers(name, { name: `${tag}-${String(i).padStart(4, "0")}` });
    if (!added.status) throw new Error(`single add ${i}: ${added.message}`);
  }
  return seconds(t0);
}

async function liveCount(ns: TestNamespace, name: string): Promise<number> {
  const { stdout } = await ns.exec("wg", ["show", name, "peers"]);
  return stdout.split("\n").filter(Boolean).length;
}

const suite: BenchSuite = {
  name: "wgdashboard",
  description: "the WGDashboard-compatible API: bulk add 100, 1,000 sequential single adds",
  async *run(): AsyncIterable<BenchResult> {
    const missing = missingPrerequisites(wireguardPrerequisites());
    if (missing) throw new Error(`the wgdashboard bench needs root and WireGuard: ${missing}`);
    await cleanupStale(PREFIX);
    const ns = await createNamespace(PREFIX);
    const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-bench-wgd-"));
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    let server: ServerProcess | undefined;
    try {
      server = await startServerProcess({
        dataDir,
        netns: ns.name,
        adminPassword: password,
        extraArgs: ["--wgdashboard-api"],
      });
      const api = apiClient(server.url, await createAdminApiKey(server.url, password));
      const scoped = await api.request("POST", "/api/v1/apikeys", {
        name: "bench-bot",
        scope: "wgdashboard",
      });
      if (scoped.status !== 201) throw new Error(`scoped key: ${scoped.status} ${scoped.text}`);
      const wgd = new WgdClient(server.url, scoped.json().key, keepAliveTransport(server.url));
      const name = uniqueName(PREFIX, 15);
      await createConfiguration(api, name);

      const t0 = process.hrtime.bigint();
      const bulk = await wgd.addPeers(name, { bulkAdd: true, bulkAddAmount: BULK });
      const bulkSeconds = seconds(t0);
      if (!bulk.status || bulk.data.length !== BULK) throw new Error(`bulk add: ${bulk.message}`);
      yield {
        bench: "wgdashboard.bulk_add_100_s",
        value: bulkSeconds,
        unit: "s",
        target: "< 3",
        load1: loadavg()[0],
      };

      const singleSeconds = await singleAdds(wgd, name, SINGLES, "bot");
      const live = await liveCount(ns, name);
      if (live !== BULK + SINGLES) throw new Error(`${live} peers in wg show, expected ${BULK + SINGLES}`);
      yield {
        bench: "wgdashboard.single_add_1000_seq_s",
        value: singleSeconds,
        unit: "s",
        target: "< 3",
        perAddMs: (singleSeconds * 1000) / SINGLES,
        load1: loadavg()[0],
      };

      const overFetch = new WgdClient(server.url, scoped.json().key);
      const fetchSeconds = await singleAdds(overFetch, name, SINGLES, "fetch");
      yield {
        bench: "wgdashboard.single_add_1000_seq_fetch_s",
        value: fetchSeconds,
        unit: "s",
        perAddMs: (fetchSeconds * 1000) / SINGLES,
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
