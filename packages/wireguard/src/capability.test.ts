import { describe, expect, it } from "vitest";
import { CapabilityMonitor } from "./capability.js";

describe("CapabilityMonitor", () => {
  it("probes once for concurrent callers, trusts a good answer 60 s and a bad one 10 s", async () => {
    let clock = 0;
    const answers: Array<string | null> = [null, "Operation not permitted", null];
    let probes = 0;
    const monitor = new CapabilityMonitor(
      async () => {
        probes++;
        return answers.shift() ?? null;
      },
      { now: () => clock },
    );
    const [a, b] = await Promise.all([monitor.current(), monitor.current()]);
    expect(a).toEqual({ ok: true, reason: null });
    expect(b).toBe(a);
    expect(probes).toBe(1);
    clock = 59_999;
    await monitor.current();
    expect(probes).toBe(1);
    clock = 60_000;
    expect(await monitor.current()).toEqual({ ok: false, reason: "Operation not permitted" });
    clock = 69_999;
    expect((await monitor.current()).ok).toBe(false);
    clock = 70_000;
    expect((await monitor.current()).ok).toBe(true);
    expect(probes).toBe(3);
  });

  it("turns a probe that throws into a reason, and probes again after invalidate()", async () => {
    let fail = true;
    const monitor = new CapabilityMonitor(async () => {
      if (fail) throw new Error("spawn ip ENOENT");
      return null;
    });
    expect(await monitor.current()).toEqual({
      ok: false,
      reason: "capability probe failed: spawn ip ENOENT",
    });
    fail = false;
    monitor.invalidate();
    expect(await monitor.current()).toEqual({ ok: true, reason: null });
  });
});
