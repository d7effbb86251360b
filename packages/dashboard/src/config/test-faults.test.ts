import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveTestFaults } from "./test-faults.js";

describe("test fault injection", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "wgfleet-faults-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("is ignored unless NODE_ENV is test", () => {
    const dir = dataDir();
    expect(resolveTestFaults(dir, { WGFLEET_TEST_FAULT: "crash-after-allocate" })).toBeNull();
    expect(
      resolveTestFaults(dir, { WGFLEET_TEST_FAULT: "crash-after-allocate", NODE_ENV: "production" }),
    ).toBeNull();
    expect(resolveTestFaults(dir, { NODE_ENV: "test" })).toBeNull();
  });

  it("crash-after-allocate fires once per data directory", () => {
    const dir = dataDir();
    let crashes = 0;
    const env = { WGFLEET_TEST_FAULT: "crash-after-allocate", NODE_ENV: "test" };
    const faults = resolveTestFaults(dir, env, () => crashes++);
    faults?.afterAllocate("a");
    faults?.afterAllocate("b");
    expect(crashes).toBe(1);
    expect(existsSync(join(dir, "test-fault-crash-after-allocate.fired"))).toBe(true);
    // A restart with the same environment does not crash again.
    resolveTestFaults(dir, env, () => crashes++)?.afterAllocate("c");
    expect(crashes).toBe(1);
  });

  it("crash-after-allocate:NAME fires for that peer name only, every time", () => {
    let crashed: string[] = [];
    const faults = resolveTestFaults(
      dataDir(),
      { WGFLEET_TEST_FAULT: "crash-after-allocate:victim", NODE_ENV: "test" },
      () => crashed.push("x"),
    );
    faults?.afterAllocate("other");
    faults?.afterAllocate("victim");
    faults?.afterAllocate("victim");
    expect(crashed).toHaveLength(2);
    crashed = [];
  });

  it("refuses an unknown fault instead of ignoring it", () => {
    expect(() => resolveTestFaults(dataDir(), { WGFLEET_TEST_FAULT: "explode", NODE_ENV: "test" })).toThrow(
      /unknown fault "explode"/,
    );
  });
});
