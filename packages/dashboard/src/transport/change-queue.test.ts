import { generateKeyPair, type PeerSpec } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { ChangeQueue, mergeChanges, type PeerChange } from "./change-queue.js";

const peer = (): PeerSpec => ({ publicKey: generateKeyPair().publicKey, allowedIps: ["198.51.100.2/32"] });

/** A queue whose sends are recorded and finish when the test says so. */
function recordingQueue(options: { fail?: (change: PeerChange) => Error | null; maxWaitMs?: number } = {}) {
  const sent: Array<{ name: string; change: PeerChange }> = [];
  const gates: Array<() => void> = [];
  let clock = 0;
  const queue = new ChangeQueue({
    sendPeers: async (name, change) => {
      sent.push({ name, change });
      await new Promise<void>((resolve) => gates.push(resolve));
      const error = options.fail?.(change) ?? null;
      if (error) throw error;
    },
    shouldIsolate: (error) => (error as Error).message === "content",
    expired: (waited) => new Error(`expired after ${waited}`),
    maxWaitMs: options.maxWaitMs ?? 1_000,
    now: () => clock,
  });
  const openGate = async () => {
    for (let i = 0; i < 20 && gates.length === 0; i++) await Promise.resolve();
    gates.shift()?.();
  };
  const sends = async (count: number) => {
    for (let i = 0; i < 50 && sent.length < count; i++) await Promise.resolve();
    return sent.length;
  };
  return { queue, sent, openGate, sends, advance: (ms: number) => (clock += ms) };
}

describe("the per-node change queue", () => {
  it("sends one change at a time and coalesces the peer changes that waited behind it", async () => {
    const { queue, sent, openGate, sends } = recordingQueue();
    const [a, b, c] = [peer(), peer(), peer()];
    const first = queue.peers("wg0", { upsert: [a], remove: [], revision: 2 });
    const second = queue.peers("wg0", { upsert: [b], remove: [], revision: 3 });
    const third = queue.peers("wg0", { upsert: [], remove: [a.publicKey], revision: 4 });
    const other = queue.peers("wg1", { upsert: [c], remove: [], revision: 1 });
    await openGate();
    await first;
    expect(await sends(2)).toBe(2);
    expect(sent[1]?.change).toEqual({ upsert: [b], remove: [a.publicKey], revision: 4 });
    await openGate();
    await Promise.all([second, third]);
    await openGate();
    await other;
    expect(sent.map((s) => s.name)).toEqual(["wg0", "wg0", "wg1"]);
  });

  it("keeps a task between peer changes in its place", async () => {
    const { queue, sent, openGate } = recordingQueue();
    const order: string[] = [];
    const a = queue.peers("wg0", { upsert: [peer()], remove: [], revision: 1 }).then(() => order.push("a"));
    const task = queue.task(async () => {
      order.push("task");
    });
    const b = queue.peers("wg0", { upsert: [peer()], remove: [], revision: 2 }).then(() => order.push("b"));
    await openGate();
    await a;
    await task;
    await openGate();
    await b;
    expect(order).toEqual(["a", "task", "b"]);
    expect(sent).toHaveLength(2);
  });

  it("sends each change alone when a combined call is refused for its content; fails all for a node failure", async () => {
    const bad = peer();
    const { queue, sent, openGate } = recordingQueue({
      fail: (change) => (change.upsert.includes(bad) ? new Error("content") : null),
    });
    const blocker = queue.peers("wg0", { upsert: [peer()], remove: [], revision: 1 });
    const good = queue.peers("wg0", { upsert: [peer()], remove: [], revision: 2 });
    const refused = queue.peers("wg0", { upsert: [bad], remove: [], revision: 3 });
    for (let i = 0; i < 4; i++) await openGate();
    await blocker;
    await expect(good).resolves.toBeUndefined();
    await expect(refused).rejects.toThrow("content");
    expect(sent.map((s) => s.change.upsert.length)).toEqual([1, 2, 1, 1]);

    const down = recordingQueue({ fail: () => new Error("unreachable") });
    const x = down.queue.peers("wg0", { upsert: [peer()], remove: [], revision: 1 });
    const y = down.queue.peers("wg0", { upsert: [peer()], remove: [], revision: 2 });
    const z = down.queue.peers("wg0", { upsert: [peer()], remove: [], revision: 3 });
    await down.openGate();
    await expect(x).rejects.toThrow("unreachable");
    await down.openGate();
    await expect(y).rejects.toThrow("unreachable");
    await expect(z).rejects.toThrow("unreachable");
    expect(down.sent).toHaveLength(2);
  });

  it("fails a change that waited longer than the limit without sending it", async () => {
    const { queue, sent, openGate, advance } = recordingQueue({ maxWaitMs: 100 });
    const slow = queue.peers("wg0", { upsert: [peer()], remove: [], revision: 1 });
    const late = queue.task(async () => {});
    advance(150);
    await openGate();
    await slow;
    await expect(late).rejects.toThrow("expired after 150");
    expect(sent).toHaveLength(1);
  });

  it("merges changes so that the last word on each key wins", () => {
    const [a, b] = [peer(), peer()];
    expect(
      mergeChanges([
        { upsert: [a], remove: [], revision: 5 },
        { upsert: [], remove: [a.publicKey, b.publicKey], revision: 3 },
        { upsert: [b], remove: [], revision: 4 },
      ]),
    ).toEqual({ upsert: [b], remove: [a.publicKey], revision: 5 });
  });
});
