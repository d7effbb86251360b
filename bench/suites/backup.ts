// backup: how long `wgfleet backup` (writeBackup: one read transaction, gzip'ed JSON lines) takes on a
// SQLite data dir with 200 and with 10,000 peers, and how long restoring the 10,000-peer file into an
// empty SQLite data dir takes. Peers are seeded straight into the tables (test/dashboard/seed-peers.ts:
// a configuration, an interface, the peers and their stats). Median of 3 runs each.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeBackup } from "../../packages/dashboard/src/backup/backup-writer.js";
import { restoreBackup } from "../../packages/dashboard/src/backup/restore.js";
import { createDatabase, migrateToLatest } from "../../packages/dashboard/src/db/index.js";
import { seedPeers } from "../../test/dashboard/seed-peers.js";
import type { BenchResult, BenchSuite } from "../types.js";

const RUNS = 3;
const KEY = randomBytes(32);

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(times: number[]): { value: number; min: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    value: sorted[Math.floor(sorted.length / 2)] as number,
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
  };
}

async function measureSize(root: string, peers: number): Promise<BenchResult[]> {
  const dataDir = join(root, `data-${peers}`);
  const db = await createDatabase({ dataDir });
  const out = join(root, `backup-${peers}.wgb`);
  const snapshot: number[] = [];
  try {
    await migrateToLatest(db);
    await seedPeers(db, peers);
    for (let i = 0; i < RUNS; i++) {
      snapshot.push(await seconds(() => writeBackup({ db, secretKey: KEY, passphrase: null, out })));
    }
  } finally {
    await db.destroy();
  }
  const results: BenchResult[] = [
    {
      bench: `backup.snapshot_${peers}_s`,
      unit: "s",
      runs: RUNS,
      peers,
      fileBytes: statSync(out).size,
      load: loadavg()[0],
      ...median(snapshot),
    },
  ];
  if (peers >= 10_000) {
    const restore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const target = { dataDir: join(root, `restored-${i}`), databaseUrl: null, envKey: null };
      restore.push(
        await seconds(() => restoreBackup({ file: out, passphrase: null, target, dryRun: false })),
      );
    }
    results.push({
      bench: `backup.restore_${peers}_s`,
      unit: "s",
      runs: RUNS,
      peers,
      load: loadavg()[0],
      ...median(restore),
    });
  }
  return results;
}

const suite: BenchSuite = {
  name: "backup",
  description: "wgfleet backup of a SQLite data dir with 200 and 10,000 peers; restore of the 10,000",
  async *run() {
    const root = mkdtempSync(join(tmpdir(), "wgfleet-bench-backup-"));
    try {
      for (const peers of [200, 10_000]) yield* await measureSize(root, peers);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

export default suite;
