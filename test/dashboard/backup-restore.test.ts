// Backup and restore of a real dashboard (the built `wgfleet serve`, local node in a namespace): a
// backup taken WHILE 200 peers are being created is consistent (every peer with its address, every
// address with its peer); the final backup restored into a fresh PostgreSQL database serves identical
// API answers and byte-identical client configs, with the tunnels untouched; PostgreSQL → SQLite under
// a passphrase gives the same rows; a dry run writes nothing; wrong passphrase and occupied targets are
// refused.
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBackup } from "../../packages/dashboard/src/backup/backup-reader.js";
import { listTables } from "../../packages/dashboard/src/backup/tables.js";
import {
  dumpTables,
  type EmptyTarget,
  emptyTarget,
} from "../../packages/dashboard/src/backup/test-support/targets.js";
import { cleanEnv, runCli } from "../../packages/dashboard/src/cli/test-support/spawn-cli.js";
import { createDatabase } from "../../packages/dashboard/src/db/index.js";
import { engineSkipReason } from "../support/databases.js";
import { createNamespace, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { readDump } from "./local-node-fixture.js";
import {
  type ApiClient,
  allPeers,
  apiClient,
  createAdminApiKey,
  type ServerProcess,
  startServerProcess,
} from "./server-process.js";

const skip = missingPrerequisites(wireguardPrerequisites()) ?? engineSkipReason("postgres");
const PEERS = 200;

/** Every table's rows of a backup file, as objects. */
async function tablesOf(file: string): Promise<Map<string, Array<Record<string, unknown>>>> {
  const tables = new Map<string, Array<Record<string, unknown>>>();
  let columns: string[] = [];
  for await (const event of readBackup(file)) {
    if (event.kind === "table") {
      columns = event.columns;
      tables.set(event.table, []);
    } else if (event.kind === "row") {
      tables.get(event.table)?.push(Object.fromEntries(columns.map((c, i) => [c, event.cells[i]])));
    }
  }
  return tables;
}

/** Fields the running dashboard rewrites by itself (stats sampling, key use): not restored data. */
const LIVE_FIELDS = new Set(["statsUpdatedAt", "lastUsedAt"]);

/** Client configs are compared byte for byte; JSON answers without their live fields. */
function withoutLiveFields(key: string, text: string | undefined): string | undefined {
  if (text === undefined || key.endsWith("/config")) return text;
  return JSON.stringify(JSON.parse(text, (field, value) => (LIVE_FIELDS.has(field) ? undefined : value)));
}

/** Node columns the health checks rewrite every few seconds. */
const NODE_HEALTH = [
  "last_health",
  "last_seen_at",
  "updated_at",
  "status",
  "status_reason",
  "consecutive_failures",
];

describe.skipIf(skip)("backup during 200 creations, restored across engines", () => {
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  const name = uniqueName("bk", 15);
  const listenPort = randomInt(20_000, 60_000);
  let ns: TestNamespace;
  let root: string;
  let server: ServerProcess | undefined;
  let api: ApiClient;
  let apiKey: string;
  const targets: EmptyTarget[] = [];
  const target = async (engine: "sqlite" | "postgres") => {
    const made = await emptyTarget(engine);
    targets.push(made);
    return made.target;
  };
  const path = (file: string) => join(root, file);
  const cli = async (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { env: cleanEnv(env) });

  beforeAll(async () => {
    ns = await createNamespace("bkp");
    root = mkdtempSync(join(tmpdir(), "wgfleet-backup-"));
    writeFileSync(path("pass"), "restore me, please\n", { mode: 0o600 });
    writeFileSync(path("wrong"), "not the passphrase\n", { mode: 0o600 });
    server = await startServerProcess({ dataDir: path("sqlite"), netns: ns.name, adminPassword: password });
    apiKey = await createAdminApiKey(server.url, password);
    api = apiClient(server.url, apiKey);
    const configuration = await api.request("POST", "/api/v1/configurations", {
      name,
      clientAllowedIps: ["198.51.100.0/24"],
    });
    expect(configuration.status, configuration.text).toBe(201);
    const iface = await api.request("POST", `/api/v1/configurations/${name}/interfaces`, {
      nodeId: "local",
      listenPort,
      pool: "198.51.100.0/24",
    });
    expect(iface.status, iface.text).toBe(201);
    const viewer = await api.request("POST", "/api/v1/users", {
      username: "viewer-1",
      password: "viewer-password-1",
      role: "viewer",
    });
    expect(viewer.status, viewer.text).toBe(201);
  });

  afterAll(async () => {
    await server?.stop();
    for (const made of targets) await made.close().catch(() => {});
    await ns?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("a backup taken during 200 concurrent creations holds every peer with its address, no half state", async () => {
    let next = 0;
    const worker = async () => {
      while (next < PEERS) {
        const answer = await api.request("POST", `/api/v1/configurations/${name}/peers`, {
          name: `p-${next++}`,
        });
        expect(answer.status, answer.text).toBe(201);
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    while (next < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const backup = await cli(["backup", "--out", path("during.wgb"), "--data-dir", path("sqlite")]);
    await Promise.all(workers);
    expect(backup.code, backup.stderr).toBe(0);

    const tables = await tablesOf(path("during.wgb"));
    const peers = tables.get("peers") ?? [];
    const allocations = tables.get("ip_allocations") ?? [];
    expect(peers.length).toBeGreaterThanOrEqual(20);
    const addressOf = new Map(allocations.map((a) => [a.peer_id, `${a.address}/32`]));
    for (const peer of peers) {
      expect(JSON.parse(peer.addresses as string), `peer ${peer.name}`).toEqual([addressOf.get(peer.id)]);
    }
    const peerIds = new Set(peers.map((p) => p.id));
    for (const allocation of allocations) expect(peerIds.has(allocation.peer_id)).toBe(true);
    expect(new Set(allocations.map((a) => a.address)).size).toBe(allocations.length);
  });

  const before: Record<string, string> = {};
  let peerIds: string[] = [];
  let sharedPeer = "";
  let liveBefore: string[] = [];
  /** The dump's lines, peers in key order (wg lists them in the order they were added). */
  const sortedDump = (raw: string) => {
    const [iface = "", ...peers] = raw.trim().split("\n");
    return [iface, ...peers.sort()];
  };
  const settledDump = async () => {
    for (let attempt = 0; attempt < 300; attempt++) {
      const dump = await readDump(ns, name);
      if (dump.peers.size === PEERS) return sortedDump(dump.raw);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return sortedDump((await readDump(ns, name)).raw);
  };

  /** The answers a restore must reproduce exactly. */
  const answers = async (client: ApiClient) => {
    const collected: Record<string, string> = {};
    const get = async (url: string) => {
      const answer = await client.request("GET", url);
      expect(answer.status, `${url}: ${answer.text}`).toBe(200);
      collected[url] = answer.text;
    };
    collected.peers = JSON.stringify(await allPeers(client, name));
    for (const url of ["/api/v1/users", "/api/v1/apikeys", `/api/v1/configurations/${name}`]) await get(url);
    await get(`/api/v1/peers/${sharedPeer}/shares`);
    for (const id of peerIds) await get(`/api/v1/peers/${id}/config`);
    return collected;
  };

  it("the final backup restores into a fresh PostgreSQL: identical answers and configs, tunnels untouched", async () => {
    const peers = await allPeers(api, name);
    expect(peers.length).toBe(PEERS);
    peerIds = peers.map((peer) => peer.id);
    sharedPeer = peerIds[0] as string;
    const share = await api.request("POST", `/api/v1/peers/${sharedPeer}/share`, { expiresInHours: 24 });
    expect(share.status, share.text).toBe(201);
    Object.assign(before, await answers(api));
    liveBefore = sortedDump((await readDump(ns, name)).raw);
    expect((await readDump(ns, name)).peers.size).toBe(PEERS);

    const final = await cli(["backup", "--out", path("final.wgb"), "--data-dir", path("sqlite")]);
    expect(final.code, final.stderr).toBe(0);
    await server?.stop();
    server = undefined;

    const pg = await target("postgres");
    const env = { DATABASE_URL: pg.databaseUrl as string };
    const restored = await cli(["restore", path("final.wgb"), "--data-dir", pg.dataDir], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`  peers: ${PEERS}`);

    server = await startServerProcess({ dataDir: pg.dataDir, netns: ns.name, adminPassword: password, env });
    api = apiClient(server.url, apiKey);
    const after = await answers(api);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const key of Object.keys(before))
      expect(withoutLiveFields(key, after[key]), key).toBe(withoutLiveFields(key, before[key]));
    // The restored dashboard applies its desired state to the node at start: once it has, the interface
    // holds exactly what it held before (same key, port, peers and addresses).
    expect(await settledDump()).toEqual(liveBefore);
    // 200 peers' configs read twice, a backup, a restore and a restart: a minute or two when the
    // machine runs other test files beside this one.
  }, 240_000);

  it("PostgreSQL → SQLite under a passphrase: the same rows; a wrong passphrase is refused", async () => {
    const pg = targets[0]?.target;
    const env = { DATABASE_URL: pg?.databaseUrl as string };
    const made = await cli(
      [
        "backup",
        "--out",
        path("pg.wgb"),
        "--passphrase-file",
        path("pass"),
        "--json",
        "--data-dir",
        pg?.dataDir ?? "",
      ],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ engine: "postgres", encrypted: true });

    const sqlite = await target("sqlite");
    const wrong = await cli([
      "restore",
      path("pg.wgb"),
      "--passphrase-file",
      path("wrong"),
      "--data-dir",
      sqlite.dataDir,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("wgfleet: wrong passphrase: it does not open this backup's secret key\n");
    const restored = await cli([
      "restore",
      path("pg.wgb"),
      "--passphrase-file",
      path("pass"),
      "--data-dir",
      sqlite.dataDir,
    ]);
    expect(restored.code, restored.stderr).toBe(0);

    const fromPg = await createDatabase({ url: pg?.databaseUrl as string });
    const toSqlite = await createDatabase({ dataDir: sqlite.dataDir });
    try {
      const [a, b] = [await dumpTables(fromPg), await dumpTables(toSqlite)];
      const stable = (rows: string[] | undefined) =>
        rows?.map((row) =>
          JSON.stringify(
            Object.fromEntries(
              Object.entries(JSON.parse(row)).filter(([column]) => !NODE_HEALTH.includes(column)),
            ),
          ),
        );
      expect(stable(b.nodes)).toEqual(stable(a.nodes));
      // The running dashboard on PostgreSQL keeps writing (sessions, stats): compare what a restore owns.
      for (const table of [
        "configurations",
        "interfaces",
        "peers",
        "ip_allocations",
        "users",
        "api_keys",
        "share_links",
      ]) {
        expect(b[table], table).toEqual(a[table]);
      }
    } finally {
      await fromPg.destroy();
      await toSqlite.destroy();
    }
  });

  it("a dry run writes nothing; an occupied database is refused, naming it", async () => {
    const pg = await target("postgres");
    const env = { DATABASE_URL: pg.databaseUrl as string };
    const dry = await cli(
      ["restore", path("final.wgb"), "--dry-run", "--json", "--data-dir", pg.dataDir],
      env,
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).counts.peers).toBe(PEERS);
    const db = await createDatabase({ url: pg.databaseUrl as string });
    try {
      expect(await listTables(db)).toEqual([]);
    } finally {
      await db.destroy();
    }

    const used = targets[0]?.target;
    const occupied = await cli(["restore", path("final.wgb"), "--data-dir", pg.dataDir], {
      DATABASE_URL: used?.databaseUrl as string,
    });
    expect(occupied.code).toBe(1);
    const url = new URL(used?.databaseUrl as string);
    expect(occupied.stderr).toContain(
      `wgfleet: the PostgreSQL database at ${url.hostname}:${url.port}${url.pathname} is not empty`,
    );
  });
});
