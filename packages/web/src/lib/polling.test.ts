import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Poller, type VisibilitySource } from "./polling.js";

function fakeVisibility(): VisibilitySource & { set(hidden: boolean): void } {
  let hidden = false;
  const listeners = new Set<() => void>();
  return {
    isHidden: () => hidden,
    onChange(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    set(value) {
      hidden = value;
      for (const listener of listeners) listener();
    },
  };
}

describe("Poller", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs at once, then once per interval, never two runs at a time", async () => {
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const poller = new Poller({
      intervalMs: 1000,
      visibility: fakeVisibility(),
      run: async () => {
        calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 300));
        inFlight--;
      },
    });
    poller.start();
    poller.refreshNow();
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBe(2); // the refresh asked during the first run runs right after it
    await vi.advanceTimersByTimeAsync(300 + 999);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(3);
    expect(maxInFlight).toBe(1);
    poller.stop();
  });

  it("doubles the wait after each failure up to the cap, and resets after a success", async () => {
    let fail = true;
    let calls = 0;
    const poller = new Poller({
      intervalMs: 1000,
      maxIntervalMs: 4000,
      visibility: fakeVisibility(),
      run: async () => {
        calls++;
        if (fail) throw new Error("down");
      },
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(poller.failures).toBe(1);
    expect(poller.delayMs).toBe(2000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toBe(2);
    expect(poller.delayMs).toBe(4000);
    await vi.advanceTimersByTimeAsync(4000);
    expect(calls).toBe(3);
    expect(poller.delayMs).toBe(4000);
    fail = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(calls).toBe(4);
    expect(poller.failures).toBe(0);
    expect(poller.delayMs).toBe(1000);
    poller.stop();
  });

  it("pauses while the tab is hidden and runs once when it shows again", async () => {
    const visibility = fakeVisibility();
    let calls = 0;
    const poller = new Poller({ intervalMs: 1000, visibility, run: async () => void calls++ });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    visibility.set(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(1);
    visibility.set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(3);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(3);
  });

  it("aborts the run in progress when stopped and schedules nothing after", async () => {
    let aborted = false;
    let calls = 0;
    const poller = new Poller({
      intervalMs: 1000,
      visibility: fakeVisibility(),
      run: (signal) =>
        new Promise<void>((resolve) => {
          calls++;
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    });
    poller.start();
    poller.stop();
    expect(aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1);
  });
});
