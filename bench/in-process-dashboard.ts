// The dashboard's services in the bench's own process (no HTTP server, no interval jobs), for figures
// that time one of its entry points directly — e.g. one health polling round over a fleet.
import { randomBytes } from "node:crypto";
import { resolveNodeSettings } from "../packages/dashboard/src/config/node-settings.js";
import { createDatabase, migrateToLatest } from "../packages/dashboard/src/db/index.js";
import { startDomainServices } from "../packages/dashboard/src/domain-services.js";
import type { AppContext } from "../packages/dashboard/src/http/context.js";
import { TEST_CONFIG } from "../packages/dashboard/src/http/test-support/test-app.js";
import { silentLogger } from "../packages/dashboard/src/logging/logger.js";
import { SecretBox } from "../packages/dashboard/src/secrets/secret-box.js";
import { createAppContext } from "../packages/dashboard/src/services.js";
import type { FleetNode } from "../test/fleet/harness.js";
import { milliseconds } from "./measure.js";

export interface InProcessDashboardOptions {
  /** The data dir (the SQLite file lives here unless `databaseUrl` is given). */
  dataDir: string;
  /** A PostgreSQL database instead of SQLite in the data dir. */
  databaseUrl?: string;
  /** The at-rest key (32 bytes); default random. Replicas started later on the same database need it. */
  secretKey?: Buffer;
}

/** The dashboard's services over a migrated database; `context.db.destroy()` ends it. */
export async function inProcessDashboard(options: InProcessDashboardOptions): Promise<AppContext> {
  const { dataDir, databaseUrl } = options;
  const db = await createDatabase(databaseUrl ? { url: databaseUrl, poolSize: 10 } : { dataDir });
  try {
    await migrateToLatest(db);
    const context = await createAppContext({
      db,
      dataDir,
      secrets: SecretBox.fromKey(options.secretKey ?? randomBytes(32)),
      logger: silentLogger(),
      config: { ...TEST_CONFIG, version: "bench" },
      // The defaults a real fleet runs with (10 s interval, 5 s timeout), whatever this shell has set.
      nodes: resolveNodeSettings({}, {}),
    });
    await startDomainServices(context.services);
    return context;
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

export interface HealthRounds {
  /** Milliseconds per timed round. */
  samples: number[];
  /** Node checks that failed (no answer within the agent timeout, or an error), over the timed rounds. */
  failedChecks: number;
}

/**
 * `rounds` timed health rounds after one warm-up round (connections, caches): each is one
 * `nodeHealth.pollOnce()` — the node table read, then every enabled node at once (signed
 * `GET /v1/health`, clock and latency check, desired-state digests compared, stale pending peers looked
 * for, the health stored). Every round must find `nodes` nodes and push nothing; a failed check
 * fails the bench when `allowFailedChecks` is not set, and is counted either way.
 */
export async function timeHealthRounds(
  services: AppContext["services"],
  nodes: number,
  rounds: number,
  options: { allowFailedChecks?: boolean } = {},
): Promise<HealthRounds> {
  const result: HealthRounds = { samples: [], failedChecks: 0 };
  for (let i = 0; i <= rounds; i++) {
    const t0 = process.hrtime.bigint();
    const report = await services.nodeHealth.pollOnce();
    const ms = milliseconds(t0);
    const failedAllowed = options.allowFailedChecks === true || report.failed === 0;
    if (report.nodes !== nodes || report.online !== nodes || report.pushed > 0 || !failedAllowed) {
      throw new Error(`health round ${i}: ${JSON.stringify(report)} (expected ${nodes} online)`);
    }
    if (i === 0) continue; // the warm-up round
    result.samples.push(ms);
    result.failedChecks += report.failed;
  }
  return result;
}

export interface InProcessPlacement {
  /** A configuration made here, with clients allowed 2001:db8::/32. */
  configuration: string;
  listenPort: number;
  maxPeers: number;
  /** Each node's own IPv6 pool. */
  pool6: (node: FleetNode) => string;
}

/**
 * The configuration, then each fleet node registered through the services (as `POST /api/v1/nodes`
 * does; sets `node.id`) with one interface of it (`interfaceName(0)`), pushed to its agent.
 */
export async function registerInProcess(
  services: AppContext["services"],
  nodes: FleetNode[],
  placement: InProcessPlacement,
): Promise<void> {
  const { configuration, listenPort, maxPeers } = placement;
  await services.configurations.create({ name: configuration, clientAllowedIps: ["2001:db8::/32"] }, "bench");
  for (const node of nodes) {
    const created = await services.nodeAdmin.create(
      { name: node.name, agentUrl: node.agentUrl, secret: node.secret, endpoint: node.address, maxPeers },
      "bench",
    );
    node.id = created.id;
    await services.interfaces.addToNode(
      configuration,
      { nodeId: created.id, listenPort, pool6: placement.pool6(node), interfaceName: node.interfaceName(0) },
      "bench",
    );
  }
}
