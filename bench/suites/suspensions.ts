// suspensions: the health poller's suspension sync (lifecycle/suspension-sync.ts) on a SQLite file with
// 10,000 peers on one node's interface — a round where nothing changed (the common case: 500 peers
// stay suspended), the round where a schedule closes for all 10,000, and the round where it opens again.
// Issue 13 asks for it to be cheap at 10,000 peers per node. Every figure is checked: the rows and
// events must say what the round did, or the suite fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InterfaceHealth, SuspendedPeer } from "@wgfleet/core";
import { createDatabase, type Db, migrateToLatest } from "../../packages/dashboard/src/db/index.js";
import {
  insertConfiguration,
  insertInterface,
  insertNode,
} from "../../packages/dashboard/src/db/test-support/rows.js";
import { InterfaceRepository } from "../../packages/dashboard/src/interfaces/interface.repository.js";
import { SuspensionRepository } from "../../packages/dashboard/src/lifecycle/suspension.repository.js";
import { SuspensionSync } from "../../packages/dashboard/src/lifecycle/suspension-sync.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PEERS = 10_000;
const STAYING = 500;
const SAMPLES = 20;

function health(suspendedPeers: SuspendedPeer[]): { interfaces: InterfaceHealth[] } {
  return {
    interfaces: [
      {
        name: "wg0",
        up: true,
        listenPort: 51820,
        publicKey: null,
        peerCount: PEERS,
        activePeers: 0,
        rxBytes: 0,
        txBytes: 0,
        revision: 1,
        digest: "",
        lastApplyError: null,
        driftRepairs: 0,
        strayPeers: [],
        suspendedPeers,
      },
    ],
  };
}

async function seed(db: Db): Promise<{ node: string; keys: string[] }> {
  const node = await insertNode(db);
  const iface = await insertInterface(db, {
    node_id: node,
    configuration_id: await insertConfiguration(db),
    name: "wg0",
  });
  const keys = Array.from({ length: PEERS }, (_, i) => `bench-key-${String(i).padStart(5, "0")}`);
  const now = new Date().toISOString();
  for (let i = 0; i < PEERS; i += 500) {
    await db
      .insertInto("peers")
      .values(
        keys.slice(i, i + 500).map((key, j) => ({
          id: `peer-${i + j}`,
          interface_id: iface,
          name: `peer-${i + j}`,
          description: null,
          public_key: key,
          private_key_enc: null,
          preshared_key_enc: null,
          addresses: "[]",
          client_allowed_ips: "[]",
          dns: null,
          mtu: null,
          keepalive: null,
          enabled: 1,
          expires_at: null,
          quota_bytes: null,
          state: "active" as const,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  return { node, keys };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function eventCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom("peer_lifecycle_events")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function suspendedCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom("peers")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("suspension_reason", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`suspensions bench: ${what}`);
}

const suite: BenchSuite = {
  name: "suspensions",
  description: "suspension sync of one node's health at 10,000 peers (SQLite)",
  async *run(): AsyncIterable<BenchResult> {
    const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-bench-"));
    const db = await createDatabase({ dataDir });
    try {
      await migrateToLatest(db);
      const { node, keys } = await seed(db);
      const sync = new SuspensionSync({
        repository: new SuspensionRepository(db),
        interfaces: new InterfaceRepository(db),
      });
      const since = Date.now();
      const staying = health(
        keys.slice(0, STAYING).map((publicKey) => ({ publicKey, reason: "quota" as const, since })),
      );
      await sync.sync(node, staying);
      const events = await eventCount(db);

      const steady: number[] = [];
      for (let i = 0; i < SAMPLES; i++) steady.push(await timed(() => sync.sync(node, staying)));
      steady.sort((a, b) => a - b);
      check((await eventCount(db)) === events, "a steady round wrote events");
      yield {
        bench: "suspensions.steady_round_10k",
        value: steady[Math.floor(SAMPLES / 2)] ?? Number.NaN,
        unit: "ms",
        suspended: STAYING,
        p95: steady[Math.floor(SAMPLES * 0.95)],
      };

      const all = health(keys.map((publicKey) => ({ publicKey, reason: "schedule" as const, since })));
      const closing = await timed(() => sync.sync(node, all));
      check((await suspendedCount(db)) === PEERS, "not every peer suspended");
      check(
        (await eventCount(db)) === events + PEERS,
        "not one event per newly suspended or re-suspended peer",
      );
      yield { bench: "suspensions.all_suspended_10k", value: closing, unit: "ms", changed: PEERS };

      const allSteady = await timed(() => sync.sync(node, all));
      yield { bench: "suspensions.steady_all_suspended_10k", value: allSteady, unit: "ms" };

      const opening = await timed(() => sync.sync(node, health([])));
      check((await suspendedCount(db)) === 0, "peers left suspended");
      yield { bench: "suspensions.all_restored_10k", value: opening, unit: "ms", changed: PEERS };
    } finally {
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default suite;
