// Runs once, in the main Vitest process, before all test files. Decides where the PostgreSQL half of
// `forEachEngine` runs: an external server (WGFLEET_TEST_DATABASE_URL), a private throwaway cluster
// started lazily by the first worker that needs one (see postgres.ts), or nowhere (not installed:
// skipped with the reason; in CI a failure).
import type { TestProject } from "vitest/node";
import {
  cleanupStaleClusters,
  createSharedState,
  postgresUnavailableReason,
  releaseSharedState,
} from "./postgres.js";

/** Where the tests' PostgreSQL is; read it through `testPostgresUrl()` in databases.ts, not directly. */
export interface TestPostgresPlan {
  /** An external server's URL (its user needs CREATEDB); null for the private cluster. */
  externalUrl: string | null;
  /** The run's state dir, through which the workers start and share the private cluster. */
  stateDir: string | null;
  /** Why PostgreSQL tests are skipped; null when they run. */
  skipReason: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    wgfleetPostgres: TestPostgresPlan;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalUrl = process.env.WGFLEET_TEST_DATABASE_URL?.trim();
  if (externalUrl) {
    project.provide("wgfleetPostgres", { externalUrl, stateDir: null, skipReason: null });
    return async () => {};
  }
  const unavailable = postgresUnavailableReason();
  if (unavailable !== null) {
    if (process.env.CI === "true") throw new Error(`CI=true and the tests need PostgreSQL: ${unavailable}`);
    project.provide("wgfleetPostgres", { externalUrl: null, stateDir: null, skipReason: unavailable });
    return async () => {};
  }
  await cleanupStaleClusters();
  const stateDir = createSharedState();
  project.provide("wgfleetPostgres", { externalUrl: null, stateDir, skipReason: null });
  return () => releaseSharedState(stateDir);
}
