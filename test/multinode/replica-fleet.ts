// A fleet whose dashboards are replicas on one PostgreSQL database (issues 5 and 17), for a Vitest file:
// a fresh, empty database on the run's PostgreSQL (the first `wgfleet serve` migrates it, as in
// production) is made in beforeAll and the fleet started on it; in afterAll the fleet is stopped and the
// database dropped — also when a test failed. The file adds its replicas (fleet.addDashboard()) and
// everything else in a beforeAll of its own, which runs after this one.
import { afterAll, beforeAll } from "vitest";
import { type Fleet, type FleetOptions, startFleet } from "../fleet/harness.js";
import { engineSkipReason, type OpenedDatabase, openTestDatabase } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

export interface ReplicaFleet {
  fleet: Fleet;
  /** The shared database: `db` for the test's own queries, `url` for connections of its own. */
  database: OpenedDatabase;
}

/** Why a replica fleet cannot run on this machine (no WireGuard or root, no PostgreSQL), or null. */
export function replicaFleetSkipReason(): string | null {
  return missingPrerequisites(wireguardPrerequisites()) ?? engineSkipReason("postgres");
}

/** `options.dashboard` gets the database's URL; the answer throws until the fleet has started. */
export function useReplicaFleet(options: FleetOptions): () => ReplicaFleet {
  let database: OpenedDatabase | null = null;
  let fleet: Fleet | null = null;
  beforeAll(async () => {
    database = await openTestDatabase("postgres", { migrate: false });
    const dashboard = typeof options.dashboard === "object" ? options.dashboard : {};
    fleet = await startFleet({
      ...options,
      dashboard: { ...dashboard, databaseUrl: database.url as string },
    });
  }, 300_000);
  afterAll(async () => {
    try {
      await fleet?.stop();
    } finally {
      await database?.close();
    }
  }, 120_000);
  return () => {
    if (!fleet || !database) throw new Error("the fleet did not start (see the beforeAll error)");
    return { fleet, database };
  };
}
