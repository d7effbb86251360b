// One fleet for a Vitest file: started in beforeAll, stopped in afterAll — also when a test failed —
// so an end-to-end file reads `const fleet = useFleet({ nodes: 3, prefix: "e2" })` and then `fleet()`.
import { afterAll, beforeAll } from "vitest";
import { type Fleet, type FleetOptions, startFleet } from "./harness.js";

export function useFleet(options: FleetOptions): () => Fleet {
  let fleet: Fleet | null = null;
  beforeAll(async () => {
    fleet = await startFleet(options);
  }, 300_000);
  afterAll(async () => {
    await fleet?.stop();
  }, 120_000);
  return () => {
    if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
    return fleet;
  };
}
