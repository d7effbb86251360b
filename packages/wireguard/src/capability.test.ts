import { describe, expect, it } from "vitest";
import { CapabilityMonitor } from "./capability.js";

describe("CapabilityMonitor", () => {
  it("probes once for concurrent callers; a stale answer is served while a background probe refreshes it", async () => {
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
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    const [a, b] = await Promise.all([monitor.current(), monitor.current()]);
    expect(a).toEqual({ ok: true, reason: null });
    expect(b).toBe(a);
    expect(probes).toBe(1);
    // A good answer is trusted for 15 minutes.
    clock = 15 * 60_000 - 1;
    await monitor.current();
    expect(probes).toBe(1);
    // Then the caller still gets it at once, and one probe runs behind it.
    clock = 15 * 60_000;
    expect(await monitor.current()).toEqual({ ok: true, reason: null });
    await settle();
    expect(probes).toBe(2);
    expect(await monitor.current()).toEqual({ ok: false, reason: "Operation not permitted" });
    // A bad answer is probed again after 10 s.
    clock += 9_999;
    await monitor.current();
    await settle();
    expect(probes).toBe(2);
    clock += 1;
    await monitor.current();
    await settle();
    expect(probes).toBe(3);
    expect((await monitor.current()).ok).toBe(true);
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
